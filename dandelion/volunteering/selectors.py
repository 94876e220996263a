"""Every read of the volunteering app."""

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from dandelion.core.geo import haversine_m
from dandelion.core.permissions import scope_queryset
from dandelion.orgs.models import Membership

from .models import Activity, Attendance, SignUp

NEAR_RADIUS_M = 30_000


def _with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        confirmed_count=Count("signups", filter=Q(signups__status=SignUp.Status.CONFIRMED)),
        waiting_count=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
    )


def activities_open(*, user, now: datetime | None = None) -> QuerySet[Activity]:
    """Published activities that have not ended, which the worker may see: public ones, and
    team-only ones of organisations they are an active member of. Soonest first."""
    now = now or timezone.now()
    qs = Activity.objects.filter(status=Activity.Status.PUBLISHED, ends_at__gt=now)
    # A member of the organisation or of any organisation below it, as `member_of` answers.
    member = Exists(
        Membership.objects.filter(
            user=user.pk if user and user.is_authenticated else None,
            status=Membership.Status.ACTIVE,
            organisation__path__startswith=OuterRef("organisation__path"),
        )
    )
    qs = qs.filter(Q(visibility=Activity.Visibility.PUBLIC) | member)
    return _with_counts(qs.select_related("organisation", "station", "region")).order_by(
        "starts_at", "id"
    )


def activities_near(
    *, user, lat: float | None, lng: float | None, limit: int = 50
) -> list[Activity]:
    """Open activities, nearest first within `NEAR_RADIUS_M` when a point is known (each with
    `distance_m`), else soonest first."""
    rows = list(activities_open(user=user)[:500])
    if lat is None or lng is None:
        for row in rows:
            row.distance_m = None
        return rows[:limit]
    for row in rows:
        row.distance_m = haversine_m(lat, lng, row.lat, row.lng)
    near = [row for row in rows if row.distance_m <= NEAR_RADIUS_M]
    near.sort(key=lambda row: (row.distance_m, row.starts_at))
    return near[:limit]


def activity_visible(*, user, activity_id: int) -> Activity | None:
    """One activity as a worker sees it (not drafts; team-only ones only to members), or as
    staff who may view it see it."""
    activity = (
        _with_counts(Activity.objects.select_related("organisation", "station", "region"))
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        return None
    from dandelion.core.permissions import can

    if can(user, "activity.view", activity):
        return activity
    if activity.status == Activity.Status.DRAFT:
        return None
    if activity.visibility == Activity.Visibility.TEAM and not member_of(
        user=user, organisation=activity.organisation
    ):
        return None
    return activity


def member_of(*, user, organisation) -> bool:
    """Is the user an active member of `organisation` or of an organisation below it (who may
    see and join its team-only activities)?"""
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        organisation__path__startswith=organisation.path,
    ).exists()


def activities_managed(*, actor, status: str | None = None) -> QuerySet[Activity]:
    qs = _with_counts(Activity.objects.select_related("organisation", "station", "region"))
    if status:
        qs = qs.filter(status=status)
    return scope_queryset(actor, "activity.view", qs).order_by("-starts_at", "-id")


def signups_of(*, user) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(user=user)
        .select_related("activity__organisation", "activity__station")
        .order_by("-activity__starts_at", "-id")
    )


def signup_of(*, user, activity: Activity) -> SignUp | None:
    return activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()


def attendance_of(*, user, activity: Activity) -> Attendance | None:
    return Attendance.objects.filter(user=user, activity=activity).first()


def activity_roster(*, activity: Activity) -> QuerySet[SignUp]:
    """Everyone who signed up, with their attendance, in sign-up order."""
    return (
        activity.signups.select_related("user")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("user"))
        )
        .order_by("status", "created_at", "id")
    )


def hours_of(*, user) -> QuerySet[Attendance]:
    """The worker's confirmed attendances (for "my hours" and the certificate)."""
    return (
        Attendance.objects.filter(user=user, confirmed_at__isnull=False)
        .select_related("user", "activity__organisation", "activity__station")
        .order_by("activity__starts_at", "id")
    )


def total_minutes(*, user) -> int:
    return (
        Attendance.objects.filter(user=user, confirmed_at__isnull=False).aggregate(
            total=Sum("credited_minutes")
        )["total"]
        or 0
    )


def hours_by(*, actor, group: str) -> list[dict]:
    """Confirmed hours the actor may see, summed per organisation (`team`) or per district
    (`region`): [{key, name, minutes, people, activities}]."""
    qs = scope_queryset(
        actor,
        "hours.view",
        Attendance.objects.filter(confirmed_at__isnull=False),
    )
    if group == "team":
        rows = qs.values("activity__organisation_id", "activity__organisation__name")
        key, name = "activity__organisation_id", "activity__organisation__name"
    else:
        rows = qs.values("activity__region__code", "activity__region__name")
        key, name = "activity__region__code", "activity__region__name"
    rows = rows.annotate(
        minutes=Sum("credited_minutes"),
        people=Count("user", distinct=True),
        activities=Count("activity", distinct=True),
    ).order_by("-minutes")
    return [
        {
            "key": str(row[key]),
            "name": row[name],
            "minutes": row["minutes"] or 0,
            "people": row["people"],
            "activities": row["activities"],
        }
        for row in rows
    ]


def activity_happening_at_station(*, user, station, now: datetime | None = None):
    """The activity at this station the worker is confirmed for and which is on now (check-in
    window: an hour before the start until six hours after the end), with their attendance."""
    from .services import CHECK_IN_EARLY, CHECK_OUT_LATE

    now = now or timezone.now()
    signup = (
        SignUp.objects.filter(
            user=user,
            status=SignUp.Status.CONFIRMED,
            activity__station=station,
            activity__status__in=[Activity.Status.PUBLISHED, Activity.Status.FINISHED],
            activity__starts_at__lte=now + CHECK_IN_EARLY,
            activity__ends_at__gte=now - CHECK_OUT_LATE,
        )
        .select_related("activity")
        .order_by("activity__starts_at")
        .first()
    )
    if signup is None:
        return None, None
    return signup.activity, Attendance.objects.filter(user=user, activity=signup.activity).first()
