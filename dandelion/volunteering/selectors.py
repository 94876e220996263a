"""Every read of the volunteering app."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound, field_error
from dandelion.core.geo import haversine_m
from dandelion.core.permissions import can, get_scoped, require, scope_queryset
from dandelion.orgs import selectors as orgs_selectors
from dandelion.regions import selectors as regions_selectors
from dandelion.stations import selectors as stations_selectors

from .models import Activity, Attendance, SignUp

NEAR_RADIUS_M = 30_000
# Volunteers may arrive (签到) from an hour before the start, and leave (签退) until six hours
# after the end (the credited time is clipped to the activity's window anyway).
ATTENDANCE_OPENS_BEFORE = timedelta(hours=1)
LEAVING_CLOSES_AFTER = timedelta(hours=6)


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
        orgs_selectors.active_memberships().filter(
            user=user.pk if user and user.is_authenticated else None,
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
    if can(user, "activity.view", activity):
        return activity
    if activity.status == Activity.Status.DRAFT:
        return None
    if activity.visibility == Activity.Visibility.TEAM and not member_of(
        user=user, organisation=activity.organisation
    ):
        return None
    return activity


def activity_get_visible(*, user, activity_id: int) -> Activity:
    """`activity_visible`, or the 404 saying there is no such activity (the same whether it
    does not exist or the user may not see it)."""
    activity = activity_visible(user=user, activity_id=activity_id)
    if activity is None:
        raise _no_such("activity")
    return activity


def _no_such(entity: str) -> NotFound:
    messages = {
        "activity": _("没有这个活动。"),
        "signup": _("你没有报名这个活动。"),
        "attendance": _("没有这条签到记录。"),
    }
    return NotFound(messages[entity], code=CoreError.NOT_FOUND, extra={"entity": entity})


def member_of(*, user, organisation) -> bool:
    """Is the user an active member of `organisation` or of an organisation below it (who may
    see and join its team-only activities)?"""
    return orgs_selectors.member_of(user=user, organisation=organisation)


def activities_managed(*, actor, status: str | None = None) -> QuerySet[Activity]:
    """The activities the actor may view (organisers, region admins, station managers,
    auditors), latest first; `PermissionDenied` for someone who may view none."""
    require(actor, "activity.view")
    qs = _with_counts(Activity.objects.select_related("organisation", "station", "region"))
    if status:
        qs = qs.filter(status=status)
    return scope_queryset(actor, "activity.view", qs).order_by("-starts_at", "-id")


def _known_to(user, activity: Activity) -> bool:
    """May `user` know that `activity` exists without any right over it: it is published (or
    was), and public or of an organisation they belong to?"""
    if activity.status == Activity.Status.DRAFT:
        return False
    return activity.visibility == Activity.Visibility.PUBLIC or member_of(
        user=user, organisation=activity.organisation
    )


def activity_get_permitted(*, actor, activity_id: int, action: str = "activity.view") -> Activity:
    """One activity the actor may `action` (view or manage). One that anyone may know of (see
    `_known_to`) is refused with 403 outside their scope; a draft or a team-only activity of
    others is refused exactly as one that does not exist (`core.permissions.get_scoped`: 404
    for those whose roles allow `action` somewhere, 403 for the rest)."""
    rows = _with_counts(Activity.objects.select_related("organisation", "station", "region"))
    activity = rows.filter(pk=activity_id).first()
    if activity is not None and _known_to(actor, activity):
        require(actor, action, activity)
        return activity
    try:
        return get_scoped(actor, action, rows, pk=activity_id)
    except NotFound:
        raise _no_such("activity") from None


def activity_for_console(*, actor, activity_id: int, action: str = "activity.view") -> Activity:
    """One activity for the console: 404 unless the actor may view it, 403 when they may view
    but not `action` it."""
    activity = activities_managed(actor=actor).filter(pk=activity_id).first()
    if activity is None:
        raise _no_such("activity")
    require(actor, action, activity)
    return activity


def activity_for_code(*, code) -> Activity:
    """The activity whose attendance code (签到码) was scanned, or 404."""
    activity = (
        Activity.objects.select_related("organisation", "station")
        .filter(attendance_code=code)
        .first()
    )
    if activity is None:
        raise _no_such("activity")
    return activity


def attendance_get(*, actor, attendance_id: int, action: str = "activity.manage") -> Attendance:
    """One attendance the actor may `action` (its activity's organisers). Whether someone was
    somewhere is theirs: one outside the actor's scope is refused exactly as one that does not
    exist (`core.permissions.get_scoped`)."""
    try:
        return get_scoped(actor, action, Attendance.objects.all(), pk=attendance_id)
    except NotFound:
        raise _no_such("attendance") from None


def open_signups_by_activity(*, user) -> dict[int, str]:
    """{activity id: confirmed or waiting} for the user's open sign-ups."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(
        SignUp.objects.filter(user=user, status__in=SignUp.OPEN_STATUSES).values_list(
            "activity_id", "status"
        )
    )


def organisations_for_activities(*, actor):
    """The active organisations the actor may publish activities for, by path;
    `PermissionDenied` for someone who may publish for none."""
    require(actor, "activity.manage")
    return scope_queryset(actor, "activity.manage", orgs_selectors.organisations_active()).order_by(
        "path"
    )


def stations_for_activities(*, actor, organisations):
    """Stations an activity may be held at: those the actor may view, and those in the
    districts of the organisations they publish for; closed stations are left out."""
    not_closed = ("active", "suspended")
    stations = stations_selectors.station_list(statuses=not_closed)
    mine = scope_queryset(actor, "station.view", stations)
    codes = {o.region.code[:6] for o in organisations}
    if codes:
        near = Q()
        for code in codes:
            near |= Q(region__code__startswith=code)
        mine = mine | stations_selectors.station_list(statuses=not_closed).filter(near)
    return mine.distinct().order_by("name")


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
    require(actor, "hours.view")
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
    """The activity at this station the worker is confirmed for and which is on now (the
    attendance window: an hour before the start until six hours after the end), with their
    attendance."""
    now = now or timezone.now()
    signup = (
        SignUp.objects.filter(
            user=user,
            status=SignUp.Status.CONFIRMED,
            activity__station=station,
            activity__status__in=[Activity.Status.PUBLISHED, Activity.Status.FINISHED],
            activity__starts_at__lte=now + ATTENDANCE_OPENS_BEFORE,
            activity__ends_at__gte=now - LEAVING_CLOSES_AFTER,
        )
        .select_related("activity")
        .order_by("activity__starts_at")
        .first()
    )
    if signup is None:
        return None, None
    return signup.activity, Attendance.objects.filter(user=user, activity=signup.activity).first()


def activity_references(
    *, organisation_id: int, station_id: int | None, region_code: str | None
) -> dict:
    """The organisation, station and region an activity's input names, as the services take
    them: {organisation, station?, region?}; `InvalidInput` naming the field of one that does
    not exist."""

    def unknown(field: str, message) -> InvalidInput:
        return InvalidInput(
            message,
            code=CoreError.INVALID_INPUT,
            errors=[field_error(field, CoreError.NOT_FOUND, message)],
        )

    found: dict = {}
    found["organisation"] = orgs_selectors.organisation_find(organisation_id=organisation_id)
    if found["organisation"] is None:
        raise unknown("organisation_id", _("没有这个组织。"))
    if station_id is not None:
        found["station"] = (
            stations_selectors.station_list(statuses=()).filter(pk=station_id).first()
        )
        if found["station"] is None:
            raise unknown("station_id", _("没有这个驿站。"))
    if region_code:
        try:
            found["region"] = regions_selectors.region_get(code=region_code)
        except NotFound:
            raise unknown("region_code", _("没有这个区划。")) from None
    return found


def volunteer_for_record(*, user_id: int):
    """The person an organiser records attendance for; `InvalidInput` if there is none."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        message = _("没有这个人。")
        raise InvalidInput(
            message,
            code=CoreError.INVALID_INPUT,
            errors=[field_error("user_id", CoreError.NOT_FOUND, message)],
        )
    return user


def station_for_visit(*, code: str):
    """The station, not closed, whose visit code (from its poster's QR) was scanned, or 404."""
    station = stations_selectors.station_by_visit_code(code=code)
    if station is None:
        raise NotFound(_("没有这个驿站。"), code=CoreError.NOT_FOUND, extra={"entity": "station"})
    return station


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {"activities": Activity.objects.all(), "attendances": Attendance.objects.all()}
