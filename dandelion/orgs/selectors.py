"""All reads of organisations, memberships and party membership. Reads of party membership are
audited here, one event per row shown to someone other than its owner.

Who belongs where is private, so one row is looked up among those the caller may act on
(`core.permissions.get_scoped`): a row outside their scope is refused exactly as one that does
not exist."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import SensitiveRead, audit_reads
from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.permissions import can, get_scoped, require, scope_queryset
from dandelion.regions.selectors import region_get

from .codes import JOIN, RETURN, code_read
from .errors import OrgsError
from .models import Membership, Organisation, PartyMembership

# What a scanned code is for: joining a team, or a party member's return to a branch (归队).
CODE_JOIN = JOIN
CODE_RETURN = RETURN
WRONG_PURPOSE_MESSAGES = {
    JOIN: _("这是党支部的归队码，请在归队页面使用。"),
    RETURN: _("这是入队码，不是党支部的归队码。"),
}


def organisation_list(
    *,
    actor,
    kinds: Iterable[str] = (),
    region_code: str | None = None,
    text: str | None = None,
    mine: bool = False,
) -> QuerySet[Organisation]:
    """Organisations the actor may see: those in their scopes and those they belong to."""
    qs = Organisation.objects.select_related("region", "station")
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if region_code:
        qs = qs.filter(region__code__startswith=region_get(code=region_code).code_prefix)
    if text:
        qs = qs.filter(name__icontains=text)
    if mine:
        qs = qs.filter(
            pk__in=Membership.objects.filter(
                user=actor, status__in=Membership.OPEN_STATUSES
            ).values("organisation_id")
        )
    return scope_queryset(actor, "org.view", qs).order_by("path")


def organisation_get(*, actor, organisation_id: int) -> Organisation:
    """An organisation the actor may see (in their scope, or one they belong to)."""
    return get_scoped(
        actor,
        "org.view",
        Organisation.objects.select_related("region", "station"),
        pk=organisation_id,
    )


def open_memberships_by_organisation(*, user) -> dict[int, Membership]:
    if not user.is_authenticated:
        return {}
    return {
        m.organisation_id: m
        for m in Membership.objects.filter(user=user, status__in=Membership.OPEN_STATUSES)
    }


def organisation_for_code(*, code: str, purpose: str | None = None) -> tuple[str, Organisation]:
    """(purpose, organisation) of a scanned code; with `purpose`, a code for anything else is
    refused (422)."""
    found, organisation = code_read(code)
    if purpose is not None and found != purpose:
        message = WRONG_PURPOSE_MESSAGES[purpose]
        raise InvalidInput(
            message,
            code=OrgsError.WRONG_CODE_PURPOSE,
            errors=[field_error("code", OrgsError.WRONG_CODE_PURPOSE, message)],
        )
    return found, organisation


def organisation_for_sharing(*, actor, organisation_id: int) -> Organisation:
    """An organisation whose join code the actor may hand out or rotate (`org.share_code`)."""
    organisation = organisation_get(actor=actor, organisation_id=organisation_id)
    require(actor, "org.share_code", organisation)
    return organisation


def _membership_rows() -> QuerySet[Membership]:
    return Membership.objects.select_related("organisation__region", "user")


def members_view_action(organisation: Organisation) -> str:
    """Who belongs to a party organisation is party membership, and is guarded as such."""
    return "party_membership.view" if organisation.is_party else "membership.view"


def membership_list(
    *, actor, organisation: Organisation, status: str | None = None
) -> QuerySet[Membership]:
    require(actor, members_view_action(organisation), organisation)
    qs = _membership_rows().filter(organisation=organisation)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-id")


def memberships_audit(*, actor, memberships: list[Membership]) -> None:
    """Log the reads of party organisations' member rows."""
    audit_reads(
        actor=actor,
        field="party_membership",
        category="party",
        reads=[
            SensitiveRead(target=m, subject=m.user, region_code=m.organisation.region.code)
            for m in memberships
            if m.organisation.is_party
        ],
    )


def memberships_visible(*, actor, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    """Memberships the actor may see across organisations (the admin list): party
    organisations' members need the party-work role, others `membership.view`."""
    party = Q(organisation__kind__in=list(Organisation.PARTY_KINDS))
    return scope_queryset(actor, "membership.view", queryset.exclude(party)) | scope_queryset(
        actor, "party_membership.view", queryset.filter(party)
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    return _membership_rows().filter(user=user).order_by("-requested_at", "-id")


def membership_for_decision(*, actor, membership_id: int) -> Membership:
    """A membership the actor may approve or decline: `membership.approve` in scope, or the
    party-work role for party organisations. Refused alike whether the row is outside the
    actor's scope or nowhere: 404 for those who decide requests somewhere, 403 for the rest."""
    party = Q(organisation__kind__in=list(Organisation.PARTY_KINDS))
    rows = _membership_rows()
    decidable = scope_queryset(actor, "membership.approve", rows.exclude(party)) | scope_queryset(
        actor, "party_membership.confirm", rows.filter(party)
    )
    membership = decidable.filter(pk=membership_id).first()
    if membership is not None:
        return membership
    if not can(actor, "party_membership.confirm"):
        require(actor, "membership.approve")
    raise NotFound(
        _("没有这条成员记录。"), code=CoreError.NOT_FOUND, extra={"entity": "membership"}
    )


def membership_for_leaving(*, actor, membership_id: int) -> Membership:
    """One of the actor's own open memberships; anyone else's is refused as an unknown one."""
    return get_scoped(actor, "membership.leave", _membership_rows(), pk=membership_id)


def _party_rows() -> QuerySet[PartyMembership]:
    return PartyMembership.objects.select_related("user", "branch__region")


def party_memberships_audit(*, actor, rows: list[PartyMembership]) -> None:
    audit_reads(
        actor=actor,
        field="party_membership",
        category="party",
        reads=[
            SensitiveRead(target=pm, subject=pm.user, region_code=pm.branch.region.code)
            for pm in rows
        ],
    )


def party_membership_list(
    *, actor, state: str | None = None, branch_id: int | None = None
) -> QuerySet[PartyMembership]:
    """Declarations the actor may see. The caller audits the rows it shows
    (`party_memberships_audit`), so a paged list logs exactly the page."""
    qs = _party_rows()
    if state:
        qs = qs.filter(state=state)
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    return scope_queryset(actor, "party_membership.view", qs).order_by("-declared_at", "-id")


def party_membership_get(*, actor, party_membership_id: int, action: str = "party_membership.view"):
    """One declaration the actor may `action` (their own, or in their scope), refused alike
    whether it is outside their scope or nowhere (`get_scoped`); the read is audited."""
    row = get_scoped(actor, action, _party_rows(), pk=party_membership_id)
    party_memberships_audit(actor=actor, rows=[row])
    return row


def party_membership_of(*, user) -> PartyMembership | None:
    """The person's own current declaration (pending or confirmed), else their latest."""
    rows = _party_rows().filter(user=user)
    current = rows.filter(
        state__in=[PartyMembership.State.PENDING, PartyMembership.State.CONFIRMED]
    )
    return current.first() or rows.first()


def party_membership_mine(*, user) -> PartyMembership:
    """The person's own declaration (see `party_membership_of`), or 404."""
    row = party_membership_of(user=user)
    if row is None:
        raise NotFound(
            _("你还没有申报归队。"),
            code=CoreError.NOT_FOUND,
            extra={"entity": "party_membership"},
        )
    return row


def party_membership_open_of(*, user) -> PartyMembership | None:
    """The person's pending or confirmed declaration, if any."""
    row = party_membership_of(user=user)
    return row if row is not None and row.state != PartyMembership.State.DECLINED else None


def party_status_choices() -> list[tuple[str, str]]:
    """(value, label) of the party statuses a declaration names (政治面貌)."""
    return PartyMembership.Status.choices


def open_memberships_of(*, user) -> list[Membership]:
    """The person's pending and active memberships, newest first."""
    return list(memberships_of(user=user).filter(status__in=Membership.OPEN_STATUSES))


def party_programme_counts(*, actor, region_code: str | None = None) -> dict[str, Any]:
    """The figures the programmes report, over the branches in the actor's `party.stats` scope:
    members identified (confirmed declarations), mobile members re-registered (confirmed and
    mobile), and party branches per station. Counts only: no person is read. 403 for those
    whose roles hold no `party.stats` anywhere."""
    require(actor, "party.stats")
    branches = Organisation.objects.filter(kind=Organisation.Kind.PARTY_BRANCH, is_active=True)
    if region_code:
        branches = branches.filter(
            region__code__startswith=region_get(code=region_code).code_prefix
        )
    branches = scope_queryset(actor, "party.stats", branches)
    St = PartyMembership.State
    figures = PartyMembership.objects.filter(branch__in=branches).aggregate(
        members_identified=Count("id", filter=Q(state=St.CONFIRMED)),
        mobile_members_reregistered=Count("id", filter=Q(state=St.CONFIRMED, is_mobile=True)),
        pending=Count("id", filter=Q(state=St.PENDING)),
        **{
            f"status_{s}": Count("id", filter=Q(state=St.CONFIRMED, status=s))
            for s in PartyMembership.Status.values
        },
    )
    per_station = list(
        branches.filter(station__isnull=False)
        .values("station_id", "station__name")
        .annotate(branches=Count("id"))
        .order_by("station_id")
    )
    return {
        "members_identified": figures["members_identified"],
        "mobile_members_reregistered": figures["mobile_members_reregistered"],
        "pending": figures["pending"],
        "by_status": {s: figures[f"status_{s}"] for s in PartyMembership.Status.values},
        "branches": branches.count(),
        "branches_with_station": sum(row["branches"] for row in per_station),
        "branches_per_station": [
            {
                "station_id": row["station_id"],
                "station_name": row["station__name"],
                "branches": row["branches"],
            }
            for row in per_station
        ],
    }


# ---- for the needs app (routing, dispatching, whom to tell) ----


def organisations_all() -> QuerySet[Organisation]:
    """Every organisation, for a caller that narrows it (a permission scope, a form's choices)."""
    return Organisation.objects.all()


def departments_active() -> QuerySet[Organisation]:
    """Active organisations that can take work routed to them (parties excluded), by path."""
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(kind__in=Organisation.PARTY_KINDS)
        .select_related("region")
        .order_by("path")
    )


def handler_member_ids(*, organisation_paths: Iterable[str]) -> QuerySet:
    """`user_id`s of the active handler members of the active organisations on these paths."""
    return Membership.objects.filter(
        role=Membership.Role.HANDLER,
        status=Membership.Status.ACTIVE,
        organisation__path__in=list(organisation_paths),
        organisation__is_active=True,
    ).values("user_id")


# ---- for the points app (who may offer rewards) ----


def merchants_active() -> QuerySet[Organisation]:
    """Active merchant organisations (商户), with their region: who may offer rewards."""
    return Organisation.objects.filter(
        is_active=True, kind=Organisation.Kind.MERCHANT
    ).select_related("region")


# ---- for the reports app (routing a report by hand) ----


def organisations_active_visible(*, actor, handlers_only: bool = False) -> QuerySet[Organisation]:
    """Active organisations in the actor's `org.view` scope, by path; with `handlers_only`,
    only those that handle cases (no party organisations or volunteer teams)."""
    qs = Organisation.objects.filter(is_active=True)
    if handlers_only:
        qs = qs.exclude(kind__in=[*Organisation.PARTY_KINDS, Organisation.Kind.VOLUNTEER_TEAM])
    return scope_queryset(actor, "org.view", qs).order_by("path")


# ---- for the volunteering app (team-only activities, the organisations that publish) ----


def active_memberships() -> QuerySet[Membership]:
    """Every active membership, for a caller that narrows it (a subquery by user and path)."""
    return Membership.objects.filter(status=Membership.Status.ACTIVE)


def member_of(*, user, organisation: Organisation) -> bool:
    """Is the user an active member of `organisation` or of an organisation below it?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        active_memberships()
        .filter(user=user, organisation__path__startswith=organisation.path)
        .exists()
    )


def active_member_ids(*, organisation: Organisation) -> QuerySet:
    """`user_id`s of the active members of `organisation` and of the organisations below it."""
    return (
        active_memberships()
        .filter(organisation__path__startswith=organisation.path)
        .values("user_id")
    )


def organisation_find(*, organisation_id: int) -> Organisation | None:
    """The organisation with this id, with its region, or None."""
    return Organisation.objects.select_related("region").filter(pk=organisation_id).first()


def organisations_active() -> QuerySet[Organisation]:
    """Active organisations with their regions, for a caller that narrows them by scope."""
    return Organisation.objects.filter(is_active=True).select_related("region")


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {
        "organisations": Organisation.objects.all(),
        "party_memberships": PartyMembership.objects.all(),
    }
