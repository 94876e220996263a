"""Whom to tell: the staff responsible for a region or a department. Staff hold roles through
role assignments (accounts) or, for department handlers, through a handler membership (orgs)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dandelion.accounts.selectors import role_holder_ids
from dandelion.orgs.selectors import handler_member_ids

User = get_user_model()


def region_prefixes(code: str) -> list[str]:
    """The `code_prefix` of `code`'s region and of every region containing it."""
    return [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]


def organisation_ancestor_paths(path: str) -> list[str]:
    """`/1/5/12/` → `/1/`, `/1/5/`, `/1/5/12/`."""
    ids = [part for part in path.split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def region_staff(*, region_code: str, role: str) -> QuerySet:
    """Active people holding `role` over a region containing `region_code`."""
    held = role_holder_ids(role=role, region_prefixes=region_prefixes(region_code))
    return User.objects.filter(pk__in=held, is_active=True)


def department_handlers(*, department) -> QuerySet:
    """Active handlers of the department or of an organisation above it."""
    paths = organisation_ancestor_paths(department.path)
    by_role = role_holder_ids(role="department_handler", organisation_paths=paths)
    by_membership = handler_member_ids(organisation_paths=paths)
    return User.objects.filter(Q(pk__in=by_role) | Q(pk__in=by_membership), is_active=True)
