"""Whom to tell: the staff responsible for a region or a department. Staff hold roles through
role assignments (accounts) or, for department handlers, through a handler membership (orgs)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from dandelion.accounts.models import RoleAssignment, User
from dandelion.orgs.models import Membership, Organisation


def region_prefixes(code: str) -> list[str]:
    """The `code_prefix` of `code`'s region and of every region containing it."""
    return [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]


def organisation_ancestor_paths(path: str) -> list[str]:
    """`/1/5/12/` → `/1/`, `/1/5/`, `/1/5/12/`."""
    ids = [part for part in path.split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def region_staff(*, region_code: str, role: str) -> QuerySet[User]:
    """Active people holding `role` over a region containing `region_code`."""
    held = RoleAssignment.objects.filter(
        user=OuterRef("pk"), role=role, region__code_prefix__in=region_prefixes(region_code)
    )
    return User.objects.filter(Exists(held), is_active=True)


def department_handlers(*, department: Organisation) -> QuerySet[User]:
    """Active handlers of the department or of an organisation above it."""
    paths = organisation_ancestor_paths(department.path)
    by_role = RoleAssignment.objects.filter(
        user=OuterRef("pk"),
        role=RoleAssignment.Role.DEPARTMENT_HANDLER,
        organisation__path__in=paths,
        organisation__is_active=True,
    )
    by_membership = Membership.objects.filter(
        user=OuterRef("pk"),
        role=Membership.Role.HANDLER,
        status=Membership.Status.ACTIVE,
        organisation__path__in=paths,
        organisation__is_active=True,
    )
    return User.objects.filter(Q(Exists(by_role)) | Q(Exists(by_membership)), is_active=True)
