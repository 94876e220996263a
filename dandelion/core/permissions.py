"""Who may do what, where: the one permission mechanism every handler, view and admin page uses.

- An **action** is `"<thing>.<verb>"`: `"station.change"`, `"party_membership.view"`.
- A **grant** is a role held over one scope: a region and everything below it (a division-code
  prefix), an organisation and everything below it (its tree path), or one station. Grants come
  from loaders apps register: staff role assignments, leaders' and secretaries' memberships.
- Apps say which roles may do which actions (`allow`), how each scope selects rows of each of
  their models (`register_scope`), and which rows a person reaches by relation rather than by
  role, such as their own membership (`register_rule`).

Everything is registered in `AppConfig.ready()`, so this module imports no app. A scope with no
resolver for a model selects nothing: what is not declared is refused.

`scope_queryset` filters a list to the rows the caller may act on; `can` answers for one row with
one query; `require` raises `PermissionDenied` (403). Resolvers must not multiply rows (use
`Exists` for to-many relations) so filtered querysets need no `distinct()`.
"""

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .errors import CoreError, NotFound, PermissionDenied

REGION, ORGANISATION, STATION = "region", "organisation", "station"


@dataclass(frozen=True)
class Grant:
    """A role over exactly one scope."""

    role: str
    region_prefix: str | None = None
    organisation_path: str | None = None
    station_id: int | None = None

    def __post_init__(self) -> None:
        given = [
            v
            for v in (self.region_prefix, self.organisation_path, self.station_id)
            if v is not None
        ]
        if len(given) != 1:
            raise ValueError("A grant has exactly one scope.")

    @property
    def scope(self) -> tuple[str, Any]:
        if self.region_prefix is not None:
            return REGION, self.region_prefix
        if self.organisation_path is not None:
            return ORGANISATION, self.organisation_path
        return STATION, self.station_id


ScopeBuilder = Callable[[Any], Q]
Rule = Callable[[Any], Q | None]
GrantLoader = Callable[[Any], Iterable[Grant]]


class _Registry:
    def __init__(self) -> None:
        self.role_actions: dict[str, set[str]] = defaultdict(set)
        self.scopes: dict[tuple[str, str], list[ScopeBuilder]] = defaultdict(list)
        self.rules: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        self.grant_loaders: list[GrantLoader] = []


registry = _Registry()


def _label(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def allow(role: str, *actions: str) -> None:
    """Let holders of `role` do `actions` inside their scope."""
    registry.role_actions[role].update(actions)


def register_scope(
    model: type[models.Model] | str,
    *,
    region: ScopeBuilder | None = None,
    organisation: ScopeBuilder | None = None,
    station: ScopeBuilder | None = None,
) -> None:
    """How each kind of scope selects rows of `model` ("app_label.modelname" or the class).
    `region` receives a division-code prefix, `organisation` a tree path, `station` an id.
    Registering twice for the same model and scope widens it (the filters are OR-ed)."""
    for kind, builder in ((REGION, region), (ORGANISATION, organisation), (STATION, station)):
        if builder is not None and builder not in registry.scopes[(_label(model), kind)]:
            registry.scopes[(_label(model), kind)].append(builder)


def register_rule(action: str, model: type[models.Model] | str, rule: Rule) -> None:
    """Rows of `model` a signed-in user may `action` by relation, whatever their roles:
    `rule(user)` returns a filter (or None for none)."""
    if rule not in registry.rules[(action, _label(model))]:
        registry.rules[(action, _label(model))].append(rule)


def register_grant_loader(loader: GrantLoader) -> None:
    if loader not in registry.grant_loaders:
        registry.grant_loaders.append(loader)


def roles_allowed(action: str) -> set[str]:
    return {role for role, actions in registry.role_actions.items() if action in actions}


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def grants_for(user) -> tuple[Grant, ...]:
    """Every grant the user holds, loaded once per user object (that is, once per request)."""
    if not _active(user):
        return ()
    cached = getattr(user, "_permission_grants", None)
    if cached is None:
        cached = tuple(grant for loader in registry.grant_loaders for grant in loader(user))
        user._permission_grants = cached
    return cached


def grants_forget(user) -> None:
    """Drop the cached grants after the user's roles or memberships changed."""
    if user is not None and hasattr(user, "_permission_grants"):
        del user._permission_grants


class _Everything:
    def __repr__(self) -> str:
        return "EVERYTHING"


EVERYTHING = _Everything()


def permission_filter(user, action: str, model: type[models.Model] | str) -> Q | _Everything | None:
    """The filter selecting rows of `model` the user may `action`: `EVERYTHING` for superusers,
    None when no row qualifies."""
    if not _active(user):
        return None
    if user.is_superuser:
        return EVERYTHING
    label = _label(model)
    parts: list[Q] = []
    for grant in grants_for(user):
        if action not in registry.role_actions.get(grant.role, ()):
            continue
        kind, value = grant.scope
        parts.extend(builder(value) for builder in registry.scopes.get((label, kind), ()))
    for rule in registry.rules.get((action, label), ()):
        q = rule(user)
        if q is not None:
            parts.append(q)
    if not parts:
        return None
    return reduce(operator.or_, parts)


def scope_queryset(user, action: str, queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` narrowed to the rows the user may `action`."""
    q = permission_filter(user, action, queryset.model)
    if q is EVERYTHING:
        return queryset
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def can(user, action: str, obj: models.Model | None = None) -> bool:
    """May the user `action` on `obj`? Without `obj`: does any of the user's roles allow `action`
    somewhere (what menus and admin index pages ask; relation rules do not count there)."""
    if not _active(user):
        return False
    if obj is None:
        return user.is_superuser or any(
            action in registry.role_actions.get(grant.role, ()) for grant in grants_for(user)
        )
    q = permission_filter(user, action, type(obj))
    if q is EVERYTHING:
        return True
    if q is None or obj.pk is None:
        return False
    return type(obj)._default_manager.filter(pk=obj.pk).filter(q).exists()


def require(user, action: str, obj: models.Model | None = None) -> None:
    """`can` or `PermissionDenied` (HTTP 403) naming the action."""
    if not can(user, action, obj):
        raise PermissionDenied(
            _("你没有权限进行这个操作。"),
            code=CoreError.PERMISSION_DENIED,
            extra={"action": action},
        )


def get_permitted(user, action: str, queryset: models.QuerySet, **lookup) -> models.Model:
    """The one row matching `lookup`: `NotFound` (404) if there is none, `PermissionDenied` (403)
    if it exists outside the caller's scope. This tells the caller that the row exists: where
    that is itself private, use `get_scoped`."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotFound(
            _("没有这项内容。"),
            code=CoreError.NOT_FOUND,
            extra={"entity": queryset.model._meta.model_name},
        )
    require(user, action, obj)
    return obj


def get_scoped(user, action: str, queryset: models.QuerySet, **lookup) -> models.Model:
    """The one row matching `lookup` among those the user may `action`, refusing alike whether
    or not such a row exists outside their scope, so a refusal tells nothing about rows the
    caller may not see: `NotFound` (404) when one of their roles allows `action` somewhere (the
    row is elsewhere or nowhere), `PermissionDenied` (403) when none does, whatever the lookup.
    Rows reached by a relation rule (one's own) are found either way."""
    obj = scope_queryset(user, action, queryset).filter(**lookup).first()
    if obj is not None:
        return obj
    require(user, action)
    raise NotFound(
        _("没有这项内容。"),
        code=CoreError.NOT_FOUND,
        extra={"entity": queryset.model._meta.model_name},
    )
