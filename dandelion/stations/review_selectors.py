"""The reads of the visit review queue (打卡复核): the visits held for review by the travel check
(`services.visit_record`), as those who may decide them (`station_visit.review`: the region
admins above the station, not its manager) see them.

Kept apart from `selectors` only for size; the console page (`console_views`) is its one
caller. Every read takes the actor: someone whose roles allow no review anywhere is refused
(403), and a visit outside the actor's scope is as absent as one that does not exist (404)."""

from datetime import date

from django.db.models import Q, QuerySet

from dandelion.core.permissions import can, get_scoped, require, scope_queryset

from .models import Station, StationVisit

REVIEW_ACTION = "station_visit.review"
PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
REVIEW_STATES = (PENDING, ACCEPTED, REJECTED)

# A visit's place in the queue: held and undecided; accepted (unflagged, with its reviewer);
# rejected (still flagged, with its reviewer).
_STATE_FILTERS = {
    PENDING: Q(flagged=True, reviewed_at__isnull=True),
    ACCEPTED: Q(flagged=False, reviewed_at__isnull=False),
    REJECTED: Q(flagged=True, reviewed_at__isnull=False),
}
# Every visit the travel check ever held, whatever became of it.
_EVER_HELD = Q(flagged=True) | Q(reviewed_at__isnull=False)


def _reviewable(actor) -> QuerySet[StationVisit]:
    require(actor, REVIEW_ACTION)
    return scope_queryset(actor, REVIEW_ACTION, StationVisit.objects.all())


def visits_for_review(
    *,
    actor,
    state: str = PENDING,
    station_id: int | None = None,
    day: date | None = None,
) -> QuerySet[StationVisit]:
    """The held visits in the actor's scope in `state` (pending, accepted or rejected),
    optionally at one station and on one day (the station's local day), latest first, with
    the worker, the station and its region, and the reviewer. `PermissionDenied` for those
    none of whose roles may review."""
    qs = _reviewable(actor).filter(_STATE_FILTERS[state])
    if station_id is not None:
        qs = qs.filter(station_id=station_id)
    if day is not None:
        qs = qs.filter(day=day)
    return qs.select_related("user", "station__region", "reviewed_by").order_by(
        "-visited_at", "-id"
    )


def visits_pending_review_count(*, actor) -> int:
    """How many held visits wait for the actor's decision (the console's badge); 0 for those
    who may not review."""
    if not can(actor, REVIEW_ACTION):
        return 0
    return visits_for_review(actor=actor).count()


def stations_with_held_visits(*, actor, limit: int = 300) -> QuerySet[Station]:
    """The stations in the actor's scope with any visit the travel check held (the queue's
    station filter), by name."""
    held = _reviewable(actor).filter(_EVER_HELD).values("station_id")
    return Station.objects.filter(pk__in=held).only("id", "name").order_by("name", "id")[:limit]


def visit_for_review(*, actor, visit_id: int) -> StationVisit:
    """One visit the actor may review: `NotFound` when it is outside their scope or absent
    alike, `PermissionDenied` when none of their roles may review."""
    return get_scoped(
        actor,
        REVIEW_ACTION,
        StationVisit.objects.select_related("station__region", "user"),
        pk=visit_id,
    )
