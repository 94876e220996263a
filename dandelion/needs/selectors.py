"""Reads of needs, reviews, wishes and problems. Every staff read goes through the caller's
scope (`core.permissions`); workers reach their own needs by relation."""

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.catalog.selectors import ancestor_codes
from dandelion.core.errors import CoreError, NotFound
from dandelion.core.permissions import can, get_scoped, require, scope_queryset
from dandelion.orgs.selectors import departments_active, organisations_all
from dandelion.regions.selectors import Level, code_prefix, regions_all

from .models import (
    Consultation,
    MicroWish,
    MicroWishEvent,
    Need,
    NeedEscalation,
    NeedEvent,
    NeedReview,
    Problem,
    RoutingRule,
    WishPledge,
    WishReviewPolicy,
)
from .workflow import NEED, REOPEN_WINDOW

S = Need.State


def overdue_q(now: datetime) -> Q:
    """Needs past the deadline of their current stage."""
    return Q(state__in=Need.AWAITING_ACCEPTANCE, accept_due_at__lt=now) | Q(
        state__in=Need.AWAITING_RESOLUTION, resolve_due_at__lt=now
    )


def overdue_unescalated(*, now: datetime) -> QuerySet[Need]:
    """Overdue needs whose current stage and round have not been escalated yet."""

    def escalated(stage: str):
        return Exists(
            NeedEscalation.objects.filter(need=OuterRef("pk"), stage=stage, round=OuterRef("round"))
        )

    return Need.objects.filter(
        (Q(state__in=Need.AWAITING_ACCEPTANCE, accept_due_at__lt=now) & ~Q(escalated("accept")))
        | (Q(state__in=Need.AWAITING_RESOLUTION, resolve_due_at__lt=now) & ~Q(escalated("resolve")))
    ).order_by("pk")


def _within(qs: QuerySet, region_code: str | None) -> QuerySet:
    """Rows filed in the region with `region_code` or any region inside it: a city's 6-digit
    code (360400) pads its lower levels with zeros, so match on its prefix (3604)."""
    if not region_code:
        return qs
    return qs.filter(region__code__startswith=code_prefix(region_code))


def _need_rows(qs: QuerySet[Need]) -> QuerySet[Need]:
    return qs.select_related("item__category", "region", "department", "worker")


def need_list(
    *,
    actor,
    mine: bool = False,
    states: list[str] | tuple = (),
    item_code: str | None = None,
    overdue: bool | None = None,
    region_code: str | None = None,
    department_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Need]:
    """Needs the caller may see: a worker's own; a dispatcher's region; a handler's departments.
    `mine` keeps only the caller's own needs."""
    now = now or timezone.now()
    qs = (
        Need.objects.filter(worker=actor)
        if mine
        else scope_queryset(actor, "need.view", Need.objects.all())
    )
    if states:
        qs = qs.filter(state__in=list(states))
    if item_code == "other":
        qs = qs.filter(item__isnull=True)
    elif item_code:
        qs = qs.filter(item__code=item_code)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    qs = _within(qs, region_code)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return _need_rows(qs).order_by("-urgency", "submitted_at", "pk") if not mine else _need_rows(qs)


def _need_detail_rows(qs: QuerySet[Need]) -> QuerySet[Need]:
    return _need_rows(qs).prefetch_related(
        Prefetch(
            "events",
            queryset=NeedEvent.objects.select_related("department").order_by("created_at", "id"),
        ),
        "photos",
        "ratings",
        "escalations",
    )


def need_get(*, actor, need_id: int) -> Need:
    """One need with its timeline, photos and ratings. A need is someone's: one outside the
    caller's scope is refused as one that does not exist (`core.permissions.get_scoped`)."""
    return get_scoped(actor, "need.view", _need_detail_rows(Need.objects.all()), pk=need_id)


def own_need_get(*, actor, need_id: int) -> Need:
    """One of the caller's own needs with its timeline (the worker's pages): 404 for any other,
    whoever may see it in the console."""
    need = _need_detail_rows(Need.objects.filter(worker=actor)).filter(pk=need_id).first()
    if need is None:
        raise NotFound(_("没有这条诉求。"), code=CoreError.NOT_FOUND, extra={"entity": "need"})
    return need


def actions_allowed(*, actor, need: Need, now: datetime | None = None) -> list[str]:
    """The moves this caller may make on this need now (what the pages offer as buttons): the
    table allows them from the need's state, the caller holds their permission on the need, and
    a reopen is still within its window."""
    now = now or timezone.now()
    allowed = []
    for action in NEED.actions:
        transition = NEED.find(action, need.state)
        if transition is None or not can(actor, transition.permission, need):
            continue
        if action == "reopen" and (
            need.resolved_at is None or now - need.resolved_at > REOPEN_WINDOW
        ):
            continue
        allowed.append(action)
    return allowed


def departments_for_dispatch(*, actor):
    """Active organisations the caller may route needs to (those of their region), parties
    excluded."""
    return scope_queryset(actor, "need.dispatch", departments_active())


def department_for_dispatch(*, actor, department_id: int):
    """One organisation the caller may route needs to, or None."""
    return departments_for_dispatch(actor=actor).filter(pk=department_id).first()


def department_find(*, department_id: int):
    """Any organisation by id, or None: the dispatch service says why it may not take work."""
    return organisations_all().filter(pk=department_id).first()


def page_allowed(*, actor, action: str) -> None:
    """A console page for the holders of `action` somewhere: `PermissionDenied` for others."""
    require(actor, action)


def need_queue(
    *,
    actor,
    action: str,
    states: list[str] | tuple = (),
    item_code: str | None = None,
    overdue: bool | None = None,
) -> QuerySet[Need]:
    """A console queue: 403 for a caller who holds `action` nowhere; the needs of their scope;
    the department queue (`need.accept`) keeps the needs routed somewhere."""
    require(actor, action)
    qs = need_list(actor=actor, states=states, item_code=item_code, overdue=overdue)
    if action == "need.accept":
        qs = qs.filter(department__isnull=False)
    return qs


def need_for_contact(*, actor, need_id: int) -> Need:
    """The need whose worker the caller may call (`need.contact_worker`): the department it is
    routed to, the dispatchers and admins of its region. 403 for a caller who may call no worker
    at all; 404 for any other need, whether or not it exists, so that the answer tells nothing
    about needs outside the caller's work."""
    require(actor, "need.contact_worker")
    need = (
        scope_queryset(actor, "need.contact_worker", Need.objects.all())
        .select_related("worker", "region", "department")
        .filter(pk=need_id)
        .first()
    )
    if need is None:
        raise NotFound(_("没有这条诉求。"), code=CoreError.NOT_FOUND, extra={"entity": "need"})
    return need


def own_need_find(*, actor, need_id) -> Need | None:
    """One of the caller's own needs, or None."""
    if not str(need_id).isdecimal():
        return None
    return Need.objects.filter(pk=int(need_id), worker=actor).select_related("region").first()


def own_wish_get(*, actor, wish_id: int) -> MicroWish:
    """One of the caller's own wishes: 404 for anyone else's."""
    wish = MicroWish.objects.filter(pk=wish_id, worker=actor).first()
    if wish is None:
        raise NotFound(_("没有这个心愿。"), code=CoreError.NOT_FOUND, extra={"entity": "wish"})
    return wish


def own_pledge_get(*, actor, pledge_id: int) -> WishPledge:
    """One of the caller's own pledges: 404 for anyone else's."""
    pledge = WishPledge.objects.filter(pk=pledge_id, pledger=actor).first()
    if pledge is None:
        raise NotFound(_("没有这次认领。"), code=CoreError.NOT_FOUND, extra={"entity": "pledge"})
    return pledge


def active_pledge_of(*, wish: MicroWish, user) -> WishPledge | None:
    """The caller's pledge in progress on this wish, if any."""
    if not user.is_authenticated:
        return None
    return WishPledge.objects.filter(wish=wish, pledger=user, state=WishPledge.State.ACTIVE).first()


def problem_regions(*, actor):
    """Districts and streets where the caller may raise problems (a form's choices)."""
    return scope_queryset(
        actor,
        "problem.change",
        regions_all().filter(level__in=[Level.DISTRICT, Level.STREET]),
    ).order_by("code")[:200]


def queue_count(*, actor, states: tuple) -> int:
    if not can(actor, "need.view"):
        return 0
    return scope_queryset(actor, "need.view", Need.objects.filter(state__in=states)).count()


def review_list(*, actor, state: str | None = NeedReview.State.OPEN) -> QuerySet[NeedReview]:
    qs = scope_queryset(actor, "need_review.close", NeedReview.objects.all())
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("need__item", "need__department", "need__region", "rating")


def review_get(*, actor, review_id: int) -> NeedReview:
    """One review of a low rating, refused outside the caller's scope as an unknown one."""
    return get_scoped(
        actor,
        "need_review.close",
        NeedReview.objects.select_related("need", "rating"),
        pk=review_id,
    )


# ---- micro-wishes ----


def _active_pledges() -> Prefetch:
    return Prefetch(
        "pledges",
        queryset=WishPledge.objects.filter(state=WishPledge.State.ACTIVE),
        to_attr="active_pledges",
    )


def wish_wall(
    *, region_code: str | None = None, states=(MicroWish.State.OPEN,)
) -> QuerySet[MicroWish]:
    """The public wall: wishes and their streets, newest first, never who made them."""
    qs = MicroWish.objects.filter(state__in=list(states))
    qs = _within(qs, region_code)
    return (
        qs.select_related("region")
        .prefetch_related(_active_pledges())
        .order_by("-created_at", "-pk")
    )


# A wish others may see: never withdrawn, and not while it waits for review or was rejected
# (its author still sees it on their own pages).
UNSEEN_BY_OTHERS = (
    MicroWish.State.WITHDRAWN,
    MicroWish.State.PENDING_REVIEW,
    MicroWish.State.REJECTED,
)


def wish_get(*, wish_id: int, viewer=None) -> MicroWish:
    """A wish as `viewer` may see it: a withdrawn one nobody; one waiting for review or
    rejected only its author; `NotFound` otherwise, as for one that does not exist."""
    wish = (
        MicroWish.objects.select_related("region")
        .prefetch_related(_active_pledges())
        .filter(pk=wish_id)
        .exclude(state=MicroWish.State.WITHDRAWN)
        .first()
    )
    if wish is not None and wish.state in UNSEEN_BY_OTHERS:
        own = viewer is not None and viewer.is_authenticated and wish.worker_id == viewer.pk
        wish = wish if own else None
    if wish is None:
        raise NotFound(_("没有这个心愿。"), code=CoreError.NOT_FOUND, extra={"entity": "wish"})
    return wish


def wishes_of(*, user) -> QuerySet[MicroWish]:
    return (
        MicroWish.objects.filter(worker=user)
        .select_related("region")
        .prefetch_related(_active_pledges())
        .order_by("-created_at", "-pk")
    )


def pledges_of(*, user) -> QuerySet[WishPledge]:
    return (
        WishPledge.objects.filter(pledger=user)
        .select_related("wish__region")
        .order_by("-pledged_at")
    )


# ---- problems ----


def problem_list(
    *, actor, state: str | None = None, region_code: str | None = None
) -> QuerySet[Problem]:
    qs = scope_queryset(actor, "problem.view", Problem.objects.all())
    if state:
        qs = qs.filter(state=state)
    qs = _within(qs, region_code)
    return qs.select_related("region").annotate(
        consultation_count=Count("consultations", distinct=True),
        need_count=Count("needs", distinct=True),
    )


def problem_get(*, actor, problem_id: int) -> Problem:
    qs = Problem.objects.select_related("region").prefetch_related(
        "needs__item",
        Prefetch(
            "consultations",
            queryset=Consultation.objects.select_related("owner").prefetch_related("departments"),
        ),
    )
    return get_scoped(actor, "problem.view", qs, pk=problem_id)


def problem_stats(
    *,
    actor,
    region_code: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict:
    """Problems raised and solved in [start, end) within the caller's scope (and region):
    raised counts problems raised in the period; solved and unsolved count those concluded in
    it; open counts those still open now."""
    qs = scope_queryset(actor, "problem.view", Problem.objects.all())
    qs = _within(qs, region_code)
    raised = Q()
    closed = Q()
    if start:
        raised &= Q(raised_at__gte=start)
        closed &= Q(closed_at__gte=start)
    if end:
        raised &= Q(raised_at__lt=end)
        closed &= Q(closed_at__lt=end)
    return qs.aggregate(
        raised=Count("pk", filter=raised),
        solved=Count("pk", filter=closed & Q(state=Problem.State.SOLVED)),
        unsolved=Count("pk", filter=closed & Q(state=Problem.State.UNSOLVED)),
        open=Count("pk", filter=Q(state=Problem.State.OPEN)),
    )


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    from .models import NeedRating

    return {
        "needs": Need.objects.all(),
        "ratings": NeedRating.objects.all(),
        "wishes": MicroWish.objects.all(),
        "problems": Problem.objects.all(),
    }


# ---- for the standards app (needs around a station) ----


def needs_near_stats(
    *, lat: float, lng: float, radius_m: float, since: datetime, until: datetime
) -> dict:
    """Needs located within `radius_m` of a point whose resolution fell due between `since` and
    `until`: how many, how many were resolved by their deadline, and the count and average of
    the workers' ratings given in that window to needs located there."""
    from dandelion.core import geo

    from .models import NeedRating

    south, west, north, east = geo.bbox_for_radius(lat, lng, radius_m)
    box = Q(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)

    def near(rows) -> list:
        return [r for r in rows if geo.haversine_m(lat, lng, r.lat, r.lng) <= radius_m]

    due = near(
        Need.objects.filter(box, resolve_due_at__gte=since, resolve_due_at__lt=until)
        .exclude(state=S.CANCELLED)
        .only("id", "lat", "lng", "resolved_at", "resolve_due_at")
    )
    on_time = sum(1 for n in due if n.resolved_at and n.resolved_at <= n.resolve_due_at)
    rated = near(
        NeedRating.objects.filter(created_at__gte=since, created_at__lt=until)
        .filter(need__lat__gte=south, need__lat__lte=north)
        .filter(need__lng__gte=west, need__lng__lte=east)
        .annotate(lat=F("need__lat"), lng=F("need__lng"))
        .only("id", "stars")
    )
    ratings = [r.stars for r in rated]
    return {
        "due": len(due),
        "on_time": on_time,
        "ratings": len(ratings),
        "rating_average": (sum(ratings) / len(ratings)) if ratings else None,
    }


def routing_rule_for(*, item_id: int | None, region_code: str) -> RoutingRule | None:
    """The active rule that routes `item_id` submitted in the region straight to a department:
    the one of the most specific region containing it. None: a dispatcher routes it."""
    if item_id is None:
        return None
    return (
        RoutingRule.objects.filter(
            item_id=item_id,
            is_active=True,
            department__is_active=True,
            region__code__in=ancestor_codes(region_code),
        )
        .select_related("department")
        .order_by(Length("region__code").desc())
        .first()
    )


def wish_review_required(*, region) -> bool:
    """Whether a wish of `region` waits for review: the policy of the most specific region
    holding it that has one; no policy, no review."""
    policy = (
        WishReviewPolicy.objects.filter(region__code__in=ancestor_codes(region.code))
        .order_by(Length("region__code").desc())
        .values_list("review_required", flat=True)
        .first()
    )
    return bool(policy)


def wishes_awaiting_review(*, actor) -> QuerySet[MicroWish]:
    """The wishes waiting for the actor's review, oldest first, in their regions."""
    return (
        scope_queryset(
            actor,
            "wish.moderate",
            MicroWish.objects.filter(state=MicroWish.State.PENDING_REVIEW),
        )
        .select_related("region")
        .order_by("created_at", "id")
    )


def wish_for_review(*, actor, wish_id: int) -> MicroWish:
    """A wish the actor may review (any state: the move says whether it still waits), or
    `NotFound` for one outside their regions, as for one that does not exist."""
    return get_scoped(
        actor, "wish.moderate", MicroWish.objects.select_related("region"), pk=wish_id
    )


def wish_rejection_reason(*, wish: MicroWish) -> str:
    """What the reviewer told the author when they kept the wish off the wall."""
    return (
        MicroWishEvent.objects.filter(wish=wish, action="reject")
        .order_by("-created_at", "-id")
        .values_list("note", flat=True)
        .first()
        or ""
    )
