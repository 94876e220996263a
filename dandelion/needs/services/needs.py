"""Writes of a need's life: submission (with automatic routing) and every transition.

Each transition locks the need's row, checks the caller's permission, looks the move up in the
one table (`workflow.TRANSITIONS`), applies it, and writes its `NeedEvent` in the same
transaction; notifications and domain events go out only when that transaction commits.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone

from dandelion.catalog.models import ServiceItem
from dandelion.catalog.questions import answers_validate
from dandelion.catalog.selectors import ancestor_codes, item_questions, items_serving
from dandelion.core.errors import Conflict, InvalidInput, NotFound
from dandelion.core.events import publish
from dandelion.core.permissions import (
    ORGANISATION,
    REGION,
    grants_for,
    require,
    roles_allowed,
    scope_queryset,
)
from dandelion.notifications.services import notification_send
from dandelion.orgs.models import Organisation
from dandelion.regions.models import Region

from .. import recipients
from ..events import NeedRated, NeedResolved
from ..models import Need, NeedEvent, NeedRating, NeedReview, RoutingRule
from ..permissions import WORKER_ACTIONS
from ..workflow import SUBMIT, TRANSITIONS, transition_get

S = Need.State
Role = NeedEvent.Role
# Deadlines of "other" needs, which have no item to take them from.
OTHER_ACCEPT_HOURS = 24
OTHER_RESOLVE_HOURS = 72
LOW_RATING = 2
MAX_TAGS = 5


def _field(field: str, msg: str) -> dict[str, str]:
    return {"field": field, "msg": msg}


def _need_url(need: Need) -> str:
    return reverse("needs:detail", args=[need.pk])


def _console_url(need: Need) -> str:
    return reverse("needs_console:detail", args=[need.pk])


def _params(need: Need, **more: Any) -> dict[str, Any]:
    return {"need_id": need.pk, "item": need.item.name if need.item_id else "", **more}


def _region_for(worker, region_code: str | None) -> tuple[Region | None, dict | None]:
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return None, _field("region", "no such region")
        return region, None
    profile = getattr(worker, "worker_profile", None)
    if profile is None:
        return None, _field("region", "check in first, or give the street the need is in")
    return profile.work_region, None


@transaction.atomic
def need_submit(
    *,
    worker,
    item: ServiceItem | None,
    description: str,
    answers: dict | None = None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    region_code: str | None = None,
    urgency: str = Need.Urgency.NORMAL,
    client_token: str = "",
    now: datetime | None = None,
) -> tuple[Need, bool]:
    """A worker's new need (小哥点单). The region is the given street or the worker's work
    street; the deadlines come from the item (or the defaults for "other"). A rule matching the
    item and region dispatches it at once; otherwise it waits in the dispatchers' queue.

    A retried submission with the same `client_token` returns the first need (created=False)."""
    now = now or timezone.now()
    if client_token:
        existing = Need.objects.filter(worker=worker, client_token=client_token).first()
        if existing is not None:
            return existing, False
    errors: list[dict] = []
    description = (description or "").strip()
    if len(description) < 2:
        errors.append(_field("description", "describe what you need"))
    elif len(description) > 2000:
        errors.append(_field("description", "at most 2000 characters"))
    region, error = _region_for(worker, region_code)
    if error:
        errors.append(error)
    if urgency not in Need.Urgency.values:
        errors.append(_field("urgency", "normal or urgent"))
    if (lat is None) != (lng is None):
        errors.append(_field("lat" if lat is None else "lng", "give both latitude and longitude"))
    elif lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors.append(_field("lat", "out of range"))
    address = (address or "").strip()
    if len(address) > 200:
        errors.append(_field("address", "at most 200 characters"))
    if item is not None:
        if (
            region is not None
            and not items_serving(region_code=region.code).filter(pk=item.pk).exists()
        ):
            errors.append(_field("item", "this item is not offered where you are"))
        if item.needs_location and not address and lat is None:
            errors.append(_field("address", "this item needs a place"))
    clean_answers: dict = {}
    try:
        clean_answers = answers_validate(questions=item_questions(item), answers=answers)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput("The need is incomplete or invalid.", code="invalid_need", errors=errors)

    accept_hours = item.accept_hours if item else OTHER_ACCEPT_HOURS
    resolve_hours = item.resolve_hours if item else OTHER_RESOLVE_HOURS
    need = Need(
        worker=worker,
        item=item,
        description=description,
        answers=clean_answers,
        address=address,
        lat=lat,
        lng=lng,
        urgency=urgency,
        region=region,
        city_code=region.city_code,
        client_token=client_token,
        submitted_at=now,
        accept_due_at=now + timedelta(hours=accept_hours),
        resolve_due_at=now + timedelta(hours=resolve_hours),
    )
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        # The same token submitted twice at once: the other request won.
        existing = Need.objects.filter(worker=worker, client_token=client_token).first()
        if existing is None:
            raise
        return existing, False
    _event(need, action=SUBMIT, from_state="", role=Role.WORKER, actor=worker, now=now)

    rule = _routing_rule_for(need)
    if rule is not None:
        _apply(need, TRANSITIONS["dispatch"], actor=None, now=now, department=rule.department)
    else:
        notification_send(
            recipients=recipients.region_staff(region_code=region.code, role="dispatcher"),
            kind="needs.waiting",
            params=_params(need, region=region.name),
            url=_console_url(need),
        )
    return need, True


def _routing_rule_for(need: Need) -> RoutingRule | None:
    """The active rule for the need's item whose region contains the need's, most specific
    first."""
    if need.item_id is None:
        return None
    return (
        RoutingRule.objects.filter(
            item_id=need.item_id,
            is_active=True,
            department__is_active=True,
            region__code__in=ancestor_codes(need.region.code),
        )
        .select_related("department")
        .order_by(Length("region__code").desc())
        .first()
    )


def _event(
    need: Need,
    *,
    action: str,
    from_state: str,
    role: str,
    actor=None,
    office: Organisation | None = None,
    office_name: str = "",
    department: Organisation | None = None,
    note: str = "",
    now: datetime,
) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need,
        action=action,
        from_state=from_state,
        to_state=need.state,
        actor=actor,
        actor_role=role,
        office=office,
        office_name=office_name,
        department=department,
        note=note,
        created_at=now,
    )


def _acting_as(actor, need: Need, permission: str) -> tuple[str, Organisation | None, str]:
    """(role, office, office name) the actor acts in: the worker on their own need; a handler
    for the need's department; a dispatcher or admin for the region of their grant."""
    if actor is None:
        return Role.SYSTEM, None, ""
    if permission in WORKER_ACTIONS and need.worker_id == actor.pk:
        return Role.WORKER, None, ""
    roles = roles_allowed(permission)
    for grant in grants_for(actor):
        if grant.role not in roles:
            continue
        kind, value = grant.scope
        if kind == REGION and need.region.code.startswith(value):
            name = Region.objects.filter(code_prefix=value).values_list("name", flat=True).first()
            return grant.role, None, name or ""
        if kind == ORGANISATION and need.department_id and need.department.path.startswith(value):
            return grant.role, need.department, need.department.name
    return Role.REGION_ADMIN, None, ""  # a superuser


def _text(value: str | None, field: str, *, required: bool, limit: int = 2000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            f"Give the {field}.", code="invalid_input", errors=[_field(field, "required")]
        )
    if len(text) > limit:
        raise InvalidInput(
            f"The {field} is too long.",
            code="invalid_input",
            errors=[_field(field, f"at most {limit} characters")],
        )
    return text


def _check_department(actor, need: Need, department) -> Organisation:
    if department is None:
        raise InvalidInput(
            "Choose a department.",
            code="invalid_input",
            errors=[_field("department_id", "required")],
        )
    if not department.is_active:
        raise InvalidInput(
            "That department is not active.",
            code="department_inactive",
            errors=[_field("department_id", "not active")],
        )
    if (
        actor is not None
        and not scope_queryset(
            actor, "need.dispatch", Organisation.objects.filter(pk=department.pk)
        ).exists()
    ):
        raise InvalidInput(
            "That department is outside your region.",
            code="department_out_of_scope",
            errors=[_field("department_id", "outside your region")],
        )
    if need.department_id == department.pk:
        raise InvalidInput(
            "The need is already with that department.",
            code="department_unchanged",
            errors=[_field("department_id", "already routed there")],
        )
    return department


def _rating_details(stars, tags, comment) -> tuple[int, list[str], str]:
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise InvalidInput(
            "Rate 1 to 5 stars.", code="invalid_input", errors=[_field("stars", "1 to 5")]
        )
    tags = list(tags or [])
    if len(tags) > MAX_TAGS or not all(
        isinstance(t, str) and 0 < len(t.strip()) <= 20 for t in tags
    ):
        raise InvalidInput(
            "Up to 5 tags of at most 20 characters.",
            code="invalid_input",
            errors=[_field("tags", "up to 5 tags of at most 20 characters")],
        )
    return (
        stars,
        list(dict.fromkeys(t.strip() for t in tags)),
        _text(comment, "comment", required=False, limit=500),
    )


def _apply(need: Need, transition, *, actor, now: datetime, **details) -> Need:
    """Apply a looked-up transition to a locked need: fields, event, side effects."""
    action = transition.action
    role, office, office_name = _acting_as(actor, need, transition.permission)
    note = ""
    event_department = None
    rating = None
    if action == "dispatch":
        department = _check_department(actor, need, details.get("department"))
        note = _text(details.get("note"), "note", required=False)
        need.department = event_department = department
        need.dispatched_at = now
    elif action == "accept":
        note = _text(details.get("note"), "note", required=False)
        need.accepted_at = now
    elif action == "decline":
        note = _text(details.get("note"), "reason", required=True)
        need.department = None
        need.dispatched_at = None
    elif action == "start":
        note = _text(details.get("note"), "note", required=False)
    elif action == "resolve":
        note = _text(details.get("note"), "note", required=True)
        need.resolution = note
        need.resolved_at = now
    elif action == "rate":
        stars, tags, comment = _rating_details(
            details.get("stars"), details.get("tags"), details.get("comment")
        )
        note = comment
        need.closed_at = now
        rating = NeedRating(
            need=need,
            round=need.round,
            stars=stars,
            tags=tags,
            comment=comment,
            department=need.department,
            created_at=now,
        )
    elif action == "reopen":
        note = _text(details.get("note"), "reason", required=True)
        need.round += 1
        need.resolved_at = None
        need.closed_at = None
        hours = need.item.resolve_hours if need.item_id else OTHER_RESOLVE_HOURS
        need.resolve_due_at = now + timedelta(hours=hours)
    elif action == "cancel":
        note = _text(details.get("note"), "reason", required=False)
        need.cancelled_at = now

    from_state = need.state
    need.state = transition.target
    need.save()
    _event(
        need,
        action=action,
        from_state=from_state,
        role=role,
        actor=actor,
        office=office,
        office_name=office_name,
        department=event_department,
        note=note,
        now=now,
    )
    if rating is not None:
        rating.save()
    _after(
        need,
        action,
        rating=rating,
        office_name=office_name,
        note=note,
        now=now,
    )
    return need


def _after(need: Need, action: str, *, rating, office_name: str, note: str, now) -> None:
    """Who hears about the move, and the domain events other apps react to."""
    region_code = need.region.code
    if action == "dispatch":
        notification_send(
            recipients=recipients.department_handlers(department=need.department),
            kind="needs.dispatched",
            params=_params(need, department=need.department.name, due=_local(need.accept_due_at)),
            url=_console_url(need),
        )
    elif action == "decline":
        notification_send(
            recipients=recipients.region_staff(region_code=region_code, role="dispatcher"),
            kind="needs.declined",
            params=_params(need, office=office_name, reason=note),
            url=_console_url(need),
        )
    elif action == "accept":
        notification_send(
            recipients=[need.worker_id],
            kind="needs.accepted",
            params=_params(need, office=need.department.name),
            url=_need_url(need),
        )
    elif action == "resolve":
        notification_send(
            recipients=[need.worker_id],
            kind="needs.resolved",
            params=_params(need, office=need.department.name),
            url=_need_url(need),
        )
        publish(
            NeedResolved(
                need_id=need.pk,
                worker_id=need.worker_id,
                department_id=need.department_id,
                region_code=region_code,
                round=need.round,
                occurred_at=now,
            )
        )
    elif action == "reopen":
        notification_send(
            recipients=recipients.department_handlers(department=need.department),
            kind="needs.reopened",
            params=_params(need),
            url=_console_url(need),
        )
    elif action == "rate":
        publish(
            NeedRated(
                need_id=need.pk,
                worker_id=need.worker_id,
                stars=rating.stars,
                region_code=region_code,
                occurred_at=now,
            )
        )
        if rating.stars <= LOW_RATING:
            NeedReview.objects.create(need=need, rating=rating, opened_at=now)
            notification_send(
                recipients=recipients.region_staff(region_code=region_code, role="dispatcher"),
                kind="needs.review_opened",
                params=_params(need, stars=rating.stars),
                url=reverse("needs_console:reviews"),
            )


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def need_transition(
    *, need: Need, action: str, actor, now: datetime | None = None, **details
) -> Need:
    """Move the need by `action` as `actor`: 403 without the permission on this need, 409 when
    the current state does not allow the move, 422 for missing or bad details."""
    now = now or timezone.now()
    locked = (
        Need.objects.select_for_update(of=("self",))
        .select_related("region", "item", "department")
        .filter(pk=need.pk)
        .first()
    )
    if locked is None:
        raise NotFound("No such need.", code="need_not_found")
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Conflict(f"Unknown action {action!r}.", code="need_unknown_action")
    require(actor, transition.permission, locked)
    transition_get(action, locked, now)
    return _apply(locked, transition, actor=actor, now=now, **details)


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


@transaction.atomic
def review_close(
    *, review: NeedReview, actor, note: str, now: datetime | None = None
) -> NeedReview:
    """The dispatcher's conclusion on a low rating."""
    locked = NeedReview.objects.select_for_update().get(pk=review.pk)
    require(actor, "need_review.close", locked)
    if locked.state != NeedReview.State.OPEN:
        raise Conflict(
            f"This review is {locked.state}.", code="review_closed", extra={"state": locked.state}
        )
    locked.note = _text(note, "note", required=True)
    locked.state = NeedReview.State.CLOSED
    locked.closed_at = now or timezone.now()
    locked.closed_by = actor
    locked.save()
    return locked


@transaction.atomic
def routing_rule_set(
    *, item: ServiceItem, region: Region, department: Organisation
) -> tuple[RoutingRule, bool]:
    """The rule for `item` in `region`, created or pointed at `department`."""
    rule, created = RoutingRule.objects.get_or_create(
        item=item, region=region, defaults={"department": department}
    )
    if not created and (rule.department_id != department.pk or not rule.is_active):
        rule.department = department
        rule.is_active = True
        rule.save()
    return rule, created
