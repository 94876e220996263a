"""A need's moves after its submission: dispatch, accept, decline, start, resolve, rate, reopen,
cancel. Each is one `core.workflow.transition` on the `workflow.NEED` table (row lock, actor
role, permission, state, event row), with the move's own details checked first and its
notifications and events sent when the transaction commits."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, CoreError, InvalidInput, NotFound, field_error
from dandelion.core.permissions import scope_queryset
from dandelion.core.workflow import SYSTEM, Transition
from dandelion.orgs.selectors import organisations_all

from ..errors import NeedsError
from ..models import Need, NeedEvent, NeedRating
from ..workflow import NEED, REOPEN_WINDOW, WORKER
from .common import OTHER_RESOLVE_HOURS, fallback_role, move, staff_role, text
from .notices import need_moved_notify

S = Need.State
MAX_TAGS = 5
_NEED_ROWS = ("region", "item", "department")


def _acting_as(actor, need: Need, action: str) -> tuple[str, object, str]:
    """(role, office, office name) the actor acts in: the worker on their own need; a handler
    for the need's department; a dispatcher or admin for the region of their grant; the system
    for no one."""
    if actor is None:
        return SYSTEM, None, ""
    moves = NEED.by_action.get(action)
    if not moves:
        return WORKER, None, ""  # the table refuses the unknown action
    spec: Transition = moves[0]
    own = need.worker_id == actor.pk
    if own and WORKER in spec.actors:
        return WORKER, None, ""
    found = staff_role(
        actor,
        spec.permission,
        region_code=need.region.code,
        department=need.department if need.department_id else None,
    )
    if found is not None:
        return found
    return fallback_role(actor, spec.actors, own=own), None, ""


def _check_department(actor, need: Need, department):
    if department is None:
        raise InvalidInput(
            _("请选择部门。"),
            code=CoreError.REQUIRED,
            errors=[field_error("department_id", CoreError.REQUIRED, _("此项为必填项"))],
        )
    if not department.is_active:
        raise InvalidInput(
            _("该部门已停用。"),
            code=NeedsError.DEPARTMENT_INACTIVE,
            errors=[
                field_error("department_id", NeedsError.DEPARTMENT_INACTIVE, _("该部门已停用"))
            ],
        )
    if (
        actor is not None
        and not scope_queryset(
            actor, "need.dispatch", organisations_all().filter(pk=department.pk)
        ).exists()
    ):
        raise InvalidInput(
            _("该部门不在你的辖区。"),
            code=NeedsError.DEPARTMENT_OUT_OF_SCOPE,
            errors=[
                field_error(
                    "department_id", NeedsError.DEPARTMENT_OUT_OF_SCOPE, _("该部门不在你的辖区")
                )
            ],
        )
    if need.department_id == department.pk:
        raise InvalidInput(
            _("诉求已经在该部门。"),
            code=NeedsError.DEPARTMENT_UNCHANGED,
            errors=[
                field_error("department_id", NeedsError.DEPARTMENT_UNCHANGED, _("诉求已经在该部门"))
            ],
        )
    return department


def _rating_details(stars, tags, comment) -> tuple[int, list[str], str]:
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise InvalidInput(
            _("请选择 1 到 5 星。"),
            code=CoreError.INVALID_INPUT,
            errors=[field_error("stars", CoreError.INVALID_INPUT, _("请选择 1 到 5 星"))],
        )
    tags = list(tags or [])
    if len(tags) > MAX_TAGS or not all(
        isinstance(t, str) and 0 < len(t.strip()) <= 20 for t in tags
    ):
        raise InvalidInput(
            _("最多 5 个标签，每个不超过 20 字。"),
            code=CoreError.INVALID_INPUT,
            errors=[field_error("tags", CoreError.INVALID_INPUT, _("最多 5 个标签"))],
        )
    return (
        stars,
        list(dict.fromkeys(t.strip() for t in tags)),
        text(comment, "comment", required=False, limit=500),
    )


def _note(action: str, details: dict) -> str:
    """The move's note, checked before anything moves: a reason where the table's move needs
    one (decline, reopen), what was done for a resolution."""
    note = details.get("note")
    if action in ("decline", "reopen"):
        return text(note, "reason", required=True)
    if action == "resolve":
        return text(note, "note", required=True)
    if action == "cancel":
        return text(note, "reason", required=False)
    return text(note, "note", required=False)


def _reopen_window(need: Need, now: datetime) -> None:
    if need.resolved_at is None or now - need.resolved_at > REOPEN_WINDOW:
        raise Conflict(
            _("办结已超过 7 天，不能再重新打开。"),
            code=NeedsError.REOPEN_WINDOW_PASSED,
            extra={"entity": "need", "state": need.state, "action": "reopen"},
        )


@transaction.atomic
def need_transition(
    *, need: Need, action: str, actor, now: datetime | None = None, **details
) -> Need:
    """Move the need by `action` as `actor`: 403 for a role the table does not name or without
    the permission on this need, 409 when the current state does not allow the move (or the
    reopen window has passed), 422 for missing or bad details."""
    now = now or timezone.now()
    current = Need.objects.select_related(*_NEED_ROWS).filter(pk=need.pk).first()
    if current is None:
        raise NotFound(_("没有这条诉求。"), code=CoreError.NOT_FOUND, extra={"entity": "need"})
    role, office, office_name = _acting_as(actor, current, action)
    rating_details = None
    if action == "rate":
        rating_details = _rating_details(
            details.get("stars"), details.get("tags"), details.get("comment")
        )
        note = rating_details[2]
    else:
        note = _note(action, details)
    event_fields = {"office": office, "office_name": office_name, "department": None}

    def guard(locked: Need, move_: Transition) -> None:
        if action == "reopen":
            _reopen_window(locked, now)
        if action == "dispatch":
            event_fields["department"] = _check_department(actor, locked, details.get("department"))

    def changes(locked: Need, move_: Transition) -> list[str]:
        if action == "dispatch":
            locked.department = event_fields["department"]
            locked.dispatched_at = now
            return ["department", "dispatched_at", "updated_at"]
        if action == "accept":
            locked.accepted_at = now
            return ["accepted_at", "updated_at"]
        if action == "decline":
            locked.department = None
            locked.dispatched_at = None
            return ["department", "dispatched_at", "updated_at"]
        if action == "resolve":
            locked.resolution = note
            locked.resolved_at = now
            return ["resolution", "resolved_at", "updated_at"]
        if action == "rate":
            locked.closed_at = now
            return ["closed_at", "updated_at"]
        if action == "reopen":
            locked.round += 1
            locked.resolved_at = None
            locked.closed_at = None
            hours = locked.item.resolve_hours if locked.item_id else OTHER_RESOLVE_HOURS
            locked.resolve_due_at = now + timedelta(hours=hours)
            return ["round", "resolved_at", "closed_at", "resolve_due_at", "updated_at"]
        if action == "cancel":
            locked.cancelled_at = now
            return ["cancelled_at", "updated_at"]
        return ["updated_at"]

    moved = move(
        NEED,
        current,
        action,
        labels=S.choices,
        actor=actor,
        actor_role=role,
        event_model=NeedEvent,
        event_fk="need",
        note=note,
        at=now,
        guard=guard,
        changes=changes,
        event_fields=event_fields,
        queryset=Need.objects.select_related(*_NEED_ROWS),
    )
    locked: Need = moved.obj
    rating = None
    if rating_details is not None:
        stars, tags, comment = rating_details
        rating = NeedRating.objects.create(
            need=locked,
            round=locked.round,
            stars=stars,
            tags=tags,
            comment=comment,
            department=locked.department,
            created_at=now,
        )
    need_moved_notify(locked, action, rating=rating, office_name=office_name, note=note, now=now)
    return locked


def need_dispatch(*, need, actor, department, note: str = "", now=None) -> Need:
    return need_transition(
        need=need, action="dispatch", actor=actor, department=department, note=note, now=now
    )


def need_accept(*, need, actor, note: str = "", now=None) -> Need:
    return need_transition(need=need, action="accept", actor=actor, note=note, now=now)


def need_decline(*, need, actor, reason: str, now=None) -> Need:
    return need_transition(need=need, action="decline", actor=actor, note=reason, now=now)


def need_start(*, need, actor, note: str = "", now=None) -> Need:
    return need_transition(need=need, action="start", actor=actor, note=note, now=now)


def need_resolve(*, need, actor, note: str, now=None) -> Need:
    return need_transition(need=need, action="resolve", actor=actor, note=note, now=now)


def need_rate(*, need, actor, stars: int, tags=(), comment: str = "", now=None) -> Need:
    return need_transition(
        need=need, action="rate", actor=actor, stars=stars, tags=tags, comment=comment, now=now
    )


def need_reopen(*, need, actor, reason: str, now=None) -> Need:
    return need_transition(need=need, action="reopen", actor=actor, note=reason, now=now)


def need_cancel(*, need, actor, reason: str = "", now=None) -> Need:
    return need_transition(need=need, action="cancel", actor=actor, note=reason, now=now)
