"""What the needs services share: text checks, the links and parameters of notifications, the
role a person acts in, and `move`, the one door to `core.workflow.transition`."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    Conflict,
    CoreError,
    InvalidInput,
    PermissionDenied,
    field_error,
)
from dandelion.core.permissions import ORGANISATION, REGION, grants_for, roles_allowed
from dandelion.core.workflow import Moved, Workflow, transition
from dandelion.regions.selectors import regions_all

from ..models import Need
from ..workflow import DEPARTMENT_HANDLER, DISPATCHER, PUBLIC, REGION_ADMIN, WORKER

# Deadlines of "other" needs, which have no item to take them from.
OTHER_ACCEPT_HOURS = 24
OTHER_RESOLVE_HOURS = 72

# What a page says when the state has moved on under the reader, per entity.
_STATE_MOVED = {
    "need": _("诉求当前状态（%(state)s）不允许这个操作，请刷新页面。"),
    "wish": _("心愿当前状态（%(state)s）不允许这个操作，请刷新页面。"),
    "pledge": _("这次认领已经结束（%(state)s）。"),
    "problem": _("这个问题已有结论（%(state)s）。"),
    "review": _("这条复核已经完成（%(state)s）。"),
}


# What a page says when the table names another role for the move, where it says more than
# "you cannot do this".
_ROLE_REFUSED = {
    ("wish", "pledge"): _("不能认领自己的心愿。"),
}


def move(workflow: Workflow, obj, action: str, *, labels=None, **kwargs) -> Moved:
    """`core.workflow.transition`, with the refusal of a state that has moved on worded for
    this entity (naming the state in the reader's language); the code and facts stay the
    workflow's (`illegal_transition`, `{"entity", "state", ...}`)."""
    try:
        return transition(workflow, obj, action, **kwargs)
    except PermissionDenied as exc:
        sentence = _ROLE_REFUSED.get((workflow.entity, action))
        if exc.code != CoreError.ACTOR_NOT_ALLOWED or sentence is None:
            raise
        raise PermissionDenied(sentence, code=exc.code, extra=exc.extra) from None
    except Conflict as exc:
        if exc.code != CoreError.ILLEGAL_TRANSITION:
            raise
        state = exc.extra.get("state", "")
        label = dict(labels or ()).get(state, state)
        raise Conflict(
            _STATE_MOVED[workflow.entity] % {"state": label},
            code=CoreError.ILLEGAL_TRANSITION,
            extra=exc.extra,
        ) from None


def text(value: str | None, field: str, *, required: bool, limit: int = 2000) -> str:
    """The stripped text of a field, or the one `InvalidInput` naming it."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(
            _("请填写这一项。"),
            code=CoreError.REQUIRED,
            errors=[field_error(field, CoreError.REQUIRED, _("此项为必填项"))],
        )
    if len(cleaned) > limit:
        sentence = _("最多 %(limit)d 字") % {"limit": limit}
        raise InvalidInput(
            sentence,
            code=CoreError.TOO_LONG,
            errors=[field_error(field, CoreError.TOO_LONG, sentence)],
        )
    return cleaned


def need_url(need: Need) -> str:
    return reverse("needs:detail", args=[need.pk])


def console_url(need: Need) -> str:
    return reverse("needs_console:detail", args=[need.pk])


def params(need: Need, **more: Any) -> dict[str, Any]:
    item = need.item if need.item_id else None
    return {
        "need_id": need.pk,
        "item": item.name if item else "",
        "item_en": item.name_en if item else "",
        **more,
    }


def staff_role(actor, permission: str | None, *, region_code: str, department=None):
    """(role, office, office name) a staff member acts in on a row of `region_code` (and of
    `department`): their first grant allowing `permission` whose scope holds the row; None when
    no grant does."""
    roles = roles_allowed(permission) if permission else set()
    for grant in grants_for(actor):
        if grant.role not in roles:
            continue
        kind, value = grant.scope
        if kind == REGION and region_code.startswith(value):
            name = regions_all().filter(code_prefix=value).values_list("name", flat=True).first()
            return grant.role, None, name or ""
        if kind == ORGANISATION and department is not None and department.path.startswith(value):
            return grant.role, department, department.name
    return None


def fallback_role(actor, actors, *, own: bool) -> str:
    """The role of someone no grant places on the row: a superuser acts in the table's role; a
    row's author is its worker; anyone else acts in the role they hold (and is refused by the
    table or by the permission), or as the public."""
    if getattr(actor, "is_superuser", False):
        for role in (REGION_ADMIN, DISPATCHER, DEPARTMENT_HANDLER):
            if role in actors:
                return role
    if own:
        return WORKER
    held = [grant.role for grant in grants_for(actor)]
    return held[0] if held else PUBLIC
