"""The roll-ups: every figure equals a recount of its rows, over regions and periods; events
keep them current and count once; period edges fall on Asia/Shanghai days; the check finds a
tampered cell; a rebuild equals what the events kept."""

from datetime import UTC, date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dandelion.core.events import deliver
from dandelion.figures import selectors, services
from dandelion.figures.models import DailyFigure, FigurePerson, PeopleCount
from dandelion.stations.events import VisitRecorded
from dandelion.stations.services import visit_record

from .history import FIGURE_NAMES, History, figures_flat, local, recount

pytestmark = pytest.mark.django_db

D = date(2026, 3, 30)  # a Monday near a month's end, so periods cross into April


def _compute(region, date_from, date_to):
    return selectors.figures_compute(region=region, date_from=date_from, date_to=date_to)


def _assert_equal_recount(region, date_from, date_to):
    got = figures_flat(_compute(region, date_from, date_to))
    want = recount(prefix=region.code_prefix, date_from=date_from, date_to=date_to)
    assert got == {name: want[name] for name in FIGURE_NAMES}


def _rich_history(w):
    """Rows of every kind, in two districts, a street and a community, over two months."""
    h = History(w)
    community, street, street_l = w.community, w.street, w.street_l
    for offset, (user, station) in enumerate(
        [(w.worker_x, w.station_x), (w.worker_l, w.station_x), (w.worker_l, w.station_l)] * 3
    ):
        h.visit(user=user, station=station, at=local(D + timedelta(days=offset), 9))
    h.visit(user=w.worker_x, station=w.station_l, at=local(D, 10), flagged=True)
    h.need(
        worker=w.worker_x,
        region=community,
        at=local(D, 8),
        resolved_at=local(D + timedelta(days=1)),
        stars=5,
    )
    h.need(
        worker=w.worker_x,
        region=street,
        at=local(D + timedelta(days=2)),
        resolved_at=local(D + timedelta(days=9)),
        stars=2,
    )
    h.need(worker=w.worker_l, region=street_l, at=local(D + timedelta(days=3)))
    h.wish(worker=w.worker_x, region=street, at=local(D), fulfilled_at=local(D + timedelta(1)))
    h.wish(worker=w.worker_l, region=street_l, at=local(D + timedelta(days=4)))
    h.problem(region=w.xunyang, at=local(D), solved_at=local(D + timedelta(days=5)))
    h.problem(region=street_l, at=local(D + timedelta(days=1)))
    h.report(region=community, at=local(D, 8), fixed_at=local(D, 11))
    h.report(region=street, at=local(D, 9), fixed_at=local(D + timedelta(days=2), 9))
    h.report(region=street, at=local(D, 10), category="manhole", fixed_at=local(D, 10, 30))
    h.report(region=street_l, at=local(D + timedelta(days=1)), status="in_progress")
    activity = h.activity(region=street, ends_at=local(D, 17))
    h.activity(region=street_l, ends_at=local(D + timedelta(days=6), 17))
    h.activity(region=street, ends_at=local(D + timedelta(days=1)), status="cancelled")
    h.attendance(user=w.worker_x, activity=activity, minutes=120, at=local(D, 18))
    h.attendance(user=w.worker_l, activity=activity, minutes=90, at=local(D + timedelta(2)))
    h.award(region=w.xunyang, user=w.worker_x, amount=20, at=local(D))
    h.award(region=w.lianxi, user=w.worker_l, amount=5, at=local(D + timedelta(days=3)))
    h.redemption(region=w.xunyang, user=w.worker_x, price=10, at=local(D + timedelta(days=1)))
    h.redemption(
        region=w.xunyang, user=w.worker_x, price=7, at=local(D + timedelta(2)), status="cancelled"
    )
    return h


def test_every_figure_equals_the_recount_of_its_rows(world):
    _rich_history(world)
    services.figures_rebuild()
    periods = [
        (D, D),
        (D, D + timedelta(days=1)),
        (D - timedelta(days=29), D + timedelta(days=40)),
        (date(2026, 4, 1), date(2026, 4, 30)),
        (D - timedelta(days=400), date.today() + timedelta(days=1)),
    ]
    for region in (world.city, world.xunyang, world.lianxi, world.street, world.community):
        for date_from, date_to in periods:
            _assert_equal_recount(region, date_from, date_to)
    assert selectors.figures_differences() == []


def test_breakdowns_children_and_series(world):
    _rich_history(world)
    services.figures_rebuild()
    out = _compute(world.city, date(2026, 3, 1), date(2026, 4, 30))
    assert {b.key: b.value for b in out.reports.by_category} == {"garbage": 3, "manhole": 1}
    assert {b.key: b.value for b in out.reports.by_status} == {"fixed": 3, "in_progress": 1}
    assert [b.label for b in out.reports.by_category] == ["垃圾堆放", "井盖破损"]
    assert {b.key: b.value for b in out.needs.by_item} == {"": 3}
    children = {row.region.code: row for row in out.by_region}
    assert set(children) == {"360402", "360403"}
    assert children["360403"].visits == 6 and children["360402"].visits == 3
    assert children["360403"].reports_submitted == 3
    assert children["360403"].volunteer_hours == 3.5
    assert [m.month for m in out.series] == ["2026-03", "2026-04"]
    march, april = out.series
    assert march.visits + april.visits == out.visits.count == 9
    assert march.visits == 2  # one on the 30th, one on the 31st
    assert march.needs_submitted == 1 and april.needs_submitted == 2
    assert march.date_from == date(2026, 3, 1) and april.date_to == date(2026, 4, 30)


def test_distinct_people_over_whole_and_partial_months(world):
    """Distinct visitors cannot be summed by day: one worker on two days is one worker, across
    whole months (month rows) and partial ones (day rows) alike."""
    h = History(world)
    for day in (date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 27), date(2026, 3, 1)):
        h.visit(user=world.worker_x, station=world.station_x, at=local(day))
    h.visit(user=world.worker_l, station=world.station_x, at=local(date(2026, 2, 10)))
    services.figures_rebuild()
    for date_from, date_to, workers, count in [
        (date(2026, 1, 31), date(2026, 3, 1), 2, 5),  # a day, a whole month, a day
        (date(2026, 2, 1), date(2026, 2, 28), 2, 3),  # exactly a whole month
        (date(2026, 2, 2), date(2026, 2, 27), 2, 2),
        (date(2026, 2, 1), date(2026, 2, 27), 2, 3),  # one person on two days of a part
        (date(2026, 2, 11), date(2026, 3, 31), 1, 2),
        (date(2026, 1, 1), date(2026, 12, 31), 2, 5),  # a whole year
        (date(2025, 12, 31), date(2027, 1, 1), 2, 5),  # a year and a day either side
        (date(2026, 1, 31), date(2026, 3, 5), 2, 5),  # all of the year's visits: the year's size
        (date(2026, 2, 5), date(2026, 2, 20), 1, 1),  # the month has visits outside: counted
    ]:
        out = _compute(world.city, date_from, date_to)
        assert (out.visits.workers, out.visits.count) == (workers, count)
    # A period holding every visit of its year (or month) reads the stored size; one that
    # does not, counts: a stored size made wrong shows only in the first.
    PeopleCount.objects.filter(
        measure="visitors", region_code="3604", grain="y", start=date(2026, 1, 1)
    ).update(people=99)
    PeopleCount.objects.filter(
        measure="visitors", region_code="3604", grain="m", start=date(2026, 2, 1)
    ).update(people=98)
    assert _compute(world.city, date(2026, 1, 31), date(2026, 3, 5)).visits.workers == 99
    assert _compute(world.city, date(2026, 2, 1), date(2026, 2, 28)).visits.workers == 98
    assert _compute(world.city, date(2026, 2, 1), date(2026, 2, 27)).visits.workers == 98
    assert _compute(world.city, date(2026, 2, 2), date(2026, 2, 27)).visits.workers == 2
    assert _compute(world.city, date(2026, 2, 11), date(2026, 3, 31)).visits.workers == 1
    assert _compute(world.city, date(2026, 3, 1), date(2026, 3, 31)).visits.workers == 1
    city_months = FigurePerson.objects.filter(
        grain="m", measure="visitors", rolled=True, region_code="3604"
    )
    assert sorted(city_months.values_list("start", flat=True)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


def test_days_are_taken_in_asia_shanghai(world):
    """23:59 and 00:01 Beijing time are two days, though both fall on one UTC day (15:59 and
    16:01 UTC)."""
    h = History(world)
    late = local(D, 23, 59)
    early = local(D + timedelta(days=1), 0, 1)
    assert late.astimezone(UTC).date() == early.astimezone(UTC).date()
    h.need(worker=world.worker_x, region=world.street, at=late)
    h.need(worker=world.worker_x, region=world.street, at=early)
    h.report(region=world.street, at=late)
    h.visit(user=world.worker_x, station=world.station_x, at=late)
    h.visit(user=world.worker_x, station=world.station_x, at=early)
    services.figures_rebuild()
    first = _compute(world.xunyang, D, D)
    second = _compute(world.xunyang, D + timedelta(days=1), D + timedelta(days=1))
    assert (first.needs.submitted, second.needs.submitted) == (1, 1)
    assert (first.reports.submitted, second.reports.submitted) == (1, 0)
    assert (first.visits.count, second.visits.count) == (1, 1)
    _assert_equal_recount(world.xunyang, D, D)


def test_a_visit_event_drives_its_figure_and_a_redelivery_counts_once(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        visit, created = visit_record(user=world.worker_x, station=world.station_x)
    assert created
    out = _compute(world.city, today, today)
    assert (out.visits.count, out.visits.workers) == (1, 1)
    event = VisitRecorded(
        occurred_at=visit.visited_at,
        visit_id=visit.pk,
        user_id=world.worker_x.pk,
        station_id=world.station_x.pk,
        station_name=world.station_x.name,
        region_code=world.station_x.region.code,
        verified=False,
    )
    for _ in range(2):
        deliver(VisitRecorded.name, event.model_dump(mode="json"))
    out = _compute(world.city, today, today)
    assert (out.visits.count, out.visits.workers) == (1, 1)
    assert DailyFigure.objects.get(measure="visits", rolled=False).value == 1
    assert DailyFigure.objects.get(measure="visits", region_code="36", grain="d").value == 1
    assert DailyFigure.objects.get(measure="visits", region_code="36", grain="m").value == 1
    # A visit that stops counting (held for review) leaves every level when its region's day
    # is refreshed.
    type(visit).objects.filter(pk=visit.pk).update(flagged=True)
    deliver(VisitRecorded.name, event.model_dump(mode="json"))
    out = _compute(world.city, today, today)
    assert (out.visits.count, out.visits.workers) == (0, 0)
    assert not FigurePerson.objects.filter(measure="visitors").exists()
    assert not PeopleCount.objects.filter(measure="visitors").exists()


def test_need_events_drive_resolved_and_rating(world, django_capture_on_commit_callbacks):
    from dandelion.needs.events import NeedRated, NeedResolved

    h = History(world)
    need = h.need(
        worker=world.worker_x,
        region=world.street,
        at=local(D),
        resolved_at=local(D, 15),
        stars=4,
        rated_at=local(D, 16),
    )
    deliver(
        NeedResolved.name,
        NeedResolved(
            occurred_at=local(D, 15),
            need_id=need.pk,
            worker_id=world.worker_x.pk,
            department_id=None,
            region_code=world.street.code,
            round=1,
        ).model_dump(mode="json"),
    )
    rated = NeedRated(
        occurred_at=local(D, 16),
        need_id=need.pk,
        worker_id=world.worker_x.pk,
        stars=4,
        region_code=world.street.code,
    ).model_dump(mode="json")
    deliver(NeedRated.name, rated)
    deliver(NeedRated.name, rated)
    out = _compute(world.xunyang, D, D)
    assert (out.needs.resolved, out.needs.resolved_on_time) == (1, 1)
    assert (out.needs.ratings, out.needs.rating_avg) == (1, 4.0)


def test_figures_check_names_a_tampered_cell_and_rebuild_repairs_it(world):
    _rich_history(world)
    call_command("figures_rebuild")
    call_command("figures_check")
    cell = DailyFigure.objects.filter(measure="visits", rolled=False).order_by("day").first()
    cell.value += 3
    cell.save()
    FigurePerson.objects.filter(measure="volunteers", rolled=False).first().delete()
    province = DailyFigure.objects.get(
        measure="reports_submitted", rolled=True, region_code="36", key="manhole|fixed", grain="d"
    )
    province.value = 0
    province.save()
    city_month = DailyFigure.objects.filter(measure="visits", region_code="3604", grain="m")[0]
    city_month.value += 1
    city_month.save()
    size = PeopleCount.objects.filter(measure="visitors", region_code="36", grain="y")[0]
    size.people += 2
    size.save()
    with pytest.raises(CommandError, match="differ from the recount"):
        call_command("figures_check")
    differences = selectors.figures_differences()
    assert any(line.startswith(f"visits {cell.region_code} {cell.day}") for line in differences)
    assert any(line.startswith("volunteers ") for line in differences)
    assert any(line.startswith("reports_submitted (sum) 36 ") for line in differences)
    assert f"visitors (people count) 36 y{size.start}: stored {size.people}" in "\n".join(
        differences
    )
    assert f"visits (month sum) 3604 {city_month.day} [{city_month.key}]: roll-up" in "\n".join(
        differences
    )
    call_command("figures_rebuild", "--region", "360403", "--from", "2026-01-01")
    call_command("figures_check")


def test_rebuild_equals_what_the_refreshes_kept(world):
    """Cells refreshed day by day (as the events and the sweep do) equal a rebuild."""
    _rich_history(world)
    codes = [r.code for r in (world.community, world.street, world.street_l)]
    codes += [world.xunyang.code, world.lianxi.code]
    for offset in range(12):
        day = D + timedelta(days=offset)
        for code in codes:  # one region and day at a time, as an event's refresh
            services.figures_refresh(codes=[code], day_from=day, day_to=day)
    services.figures_refresh(measures=services.STOCKS)

    def snapshot():
        return (
            sorted(
                DailyFigure.objects.values_list(
                    "measure", "grain", "region_code", "day", "key", "value"
                )
            ),
            sorted(
                FigurePerson.objects.values_list(
                    "measure", "grain", "region_code", "start", "person_id"
                )
            ),
            sorted(
                PeopleCount.objects.values_list(
                    "measure", "grain", "region_code", "start", "people"
                )
            ),
        )

    kept = snapshot()
    assert kept[2], "the refreshes stored the sizes of whole months and years"
    services.figures_rebuild()
    assert snapshot() == kept


def test_sweep_refreshes_recent_days(world):
    h = History(world)
    h.report(region=world.street, at=local(D, 9))
    services.figures_sweep(now=local(D, 23))
    assert _compute(world.xunyang, D, D).reports.submitted == 1
    services.figures_sweep()  # today: the registrations of the fixture's workers
    assert selectors.figures_differences() == []


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["visit", "need", "report", "hours", "award"]),
            st.integers(min_value=0, max_value=40),  # day offset
            st.integers(min_value=0, max_value=23),  # local hour
            st.integers(min_value=0, max_value=2),  # who and where
        ),
        max_size=25,
    ),
    span=st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
def test_random_histories_equal_their_recount(world, events, span):
    with transaction.atomic():
        h = History(world)
        people = [world.worker_x, world.worker_l, world.admin_x]
        stations = [world.station_x, world.station_l, world.station_x]
        regions = [world.community, world.street_l, world.street]
        activity = h.activity(region=world.street, ends_at=local(D))
        seen_visits, seen_attendance = set(), set()
        for kind, offset, hour, who in events:
            at = local(D + timedelta(days=offset), hour, 7)
            if kind == "visit" and (who, offset, who) not in seen_visits:
                seen_visits.add((who, offset, who))
                h.visit(user=people[who], station=stations[who], at=at)
            elif kind == "need":
                h.need(
                    worker=people[who], region=regions[who], at=at, resolved_at=at, stars=who + 3
                )
            elif kind == "report":
                h.report(region=regions[who], at=at, fixed_at=at + timedelta(minutes=offset * 37))
            elif kind == "hours" and who not in seen_attendance:
                seen_attendance.add(who)
                h.attendance(user=people[who], activity=activity, minutes=30 + offset, at=at)
            elif kind == "award":
                h.award(region=regions[who], user=people[who], amount=offset + 1, at=at)
        services.figures_rebuild()
        date_from = D + timedelta(days=min(span))
        date_to = D + timedelta(days=max(span))
        for region in (world.city, world.xunyang, world.street):
            _assert_equal_recount(region, date_from, date_to)
        transaction.set_rollback(True)


def test_stars_and_the_work_log_drive_their_figures(world, django_capture_on_commit_callbacks):
    from dandelion.stations.models import StationServiceLog
    from dandelion.stations.services import service_log_add, station_stars_set

    today = timezone.localdate()
    services.figures_rebuild()
    assert _compute(world.city, today, today).stations.by_stars is None
    with django_capture_on_commit_callbacks(execute=True):
        station_stars_set(station=world.station_x, stars=5, valid_until=None, reason="评定")
        for key, kind, people, bottles in (
            ("a", "health_check", 30, None),
            ("b", "drinks_refill", 0, 48),
        ):
            service_log_add(
                actor=world.manager_x,
                station=world.station_x,
                day=today,
                kind_code=kind,
                people_served=people,
                bottles=bottles,
                idempotency_key=key,
            )
    out = _compute(world.city, today, today)
    assert {b.key: b.value for b in out.stations.by_stars} == {
        "0": 1,
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 0,
        "5": 1,
    }
    logs = StationServiceLog.objects.all()
    assert out.station_services.model_dump() == {
        "events": logs.count(),
        "people_served": sum(log.people_served for log in logs),
        "bottles": sum(log.bottles or 0 for log in logs),
    }
    assert out.station_services.bottles == 48
    assert _compute(world.lianxi, today, today).station_services.events == 0
    assert selectors.figures_differences() == []


def test_hours_and_report_events_drive_their_figures(world):
    from dandelion.reports.events import ReportAccepted
    from dandelion.volunteering.events import HoursConfirmed

    h = History(world)
    activity = h.activity(region=world.street, ends_at=local(D, 17))
    attendance = h.attendance(user=world.worker_x, activity=activity, minutes=90, at=local(D, 18))
    report = h.report(region=world.community, at=local(D - timedelta(days=3)), status="open")
    hours = HoursConfirmed(
        occurred_at=local(D, 18),
        attendance_id=attendance.pk,
        activity_id=activity.pk,
        worker_id=world.worker_x.pk,
        minutes=90,
        points_per_hour=10,
        region_code=world.street.code,
        title=activity.title,
        ended_at=activity.ends_at,
    ).model_dump(mode="json")
    accepted = ReportAccepted(
        occurred_at=local(D, 9),
        report_id=report.pk,
        reporter_id=world.worker_x.pk,
        region_code=world.community.code,
        category="garbage",
    ).model_dump(mode="json")
    for _ in range(2):  # a redelivery counts once
        deliver(HoursConfirmed.name, hours)
        deliver(ReportAccepted.name, accepted)
    out = _compute(world.city, D, D)
    assert (out.volunteering.hours, out.volunteering.volunteers) == (1.5, 1)
    earlier = _compute(world.city, D - timedelta(days=3), D - timedelta(days=3))
    assert {b.key: b.value for b in earlier.reports.by_status} == {"open": 1}
    _assert_equal_recount(world.city, D - timedelta(days=3), D)


def test_a_report_shows_in_the_figures_when_it_is_submitted_and_when_it_moves(world):
    """`reports.report_changed` (on submission and on every move) refreshes the region's report
    cells: a new report counts at once, and a fix, then a reopening, move it between figures."""
    from dandelion.reports.events import ReportChanged

    h = History(world)
    report = h.report(region=world.community, at=local(D, 9), status="for_triage")

    def changed(status: str) -> None:
        event = ReportChanged(
            occurred_at=local(D, 10),
            report_id=report.pk,
            region_code=world.community.code,
            status=status,
        ).model_dump(mode="json")
        for _ in range(2):  # a redelivery counts once
            deliver(ReportChanged.name, event)

    changed("for_triage")
    out = _compute(world.city, D, D)
    assert (out.reports.submitted, out.reports.fixed) == (1, 0)
    type(report).objects.filter(pk=report.pk).update(status="fixed", fixed_at=local(D, 15))
    changed("fixed")
    out = _compute(world.city, D, D)
    assert (out.reports.submitted, out.reports.fixed) == (1, 1)
    assert {b.key: b.value for b in out.reports.by_status} == {"fixed": 1}
    type(report).objects.filter(pk=report.pk).update(status="reopen", fixed_at=None)
    changed("reopen")
    assert _compute(world.city, D, D).reports.fixed == 0
    _assert_equal_recount(world.city, D, D)


def test_a_need_counts_in_the_figures_when_it_is_submitted(world):
    from dandelion.needs.events import NeedSubmitted

    h = History(world)
    need = h.need(worker=world.worker_x, region=world.community, at=local(D, 11))
    event = NeedSubmitted(
        occurred_at=local(D, 11),
        need_id=need.pk,
        worker_id=world.worker_x.pk,
        region_code=world.community.code,
        item="other",
    ).model_dump(mode="json")
    assert _compute(world.city, D, D).needs.submitted == 0
    for _ in range(2):  # a redelivery counts once
        deliver(NeedSubmitted.name, event)
    assert _compute(world.city, D, D).needs.submitted == 1
    _assert_equal_recount(world.city, D, D)
