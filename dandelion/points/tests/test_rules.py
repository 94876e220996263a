"""Earning rules: the most specific region decides, caps per local day and month, every award
keyed by its source, and the events of other apps turned into awards."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pydantic import ValidationError

from dandelion.core import events
from dandelion.core.errors import Conflict
from dandelion.needs.events import NeedRated
from dandelion.notifications.models import Notification
from dandelion.points.models import EarningRule, Transfer
from dandelion.points.selectors import balance_of
from dandelion.points.services import (
    award_by_rule,
    award_manual,
    issuer_account,
    region_code_chain,
    rule_for,
    transfer_reverse,
)
from dandelion.reports.events import ReportAccepted
from dandelion.stations.events import VisitRecorded
from dandelion.volunteering.events import HoursConfirmed

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_region_chain_runs_from_the_community_to_the_province():
    assert region_code_chain("360403001001") == [
        "360403001001",
        "360403001",
        "360403",
        "360400",
        "360000",
    ]
    assert region_code_chain("360403") == ["360403", "360400", "360000"]
    assert region_code_chain("") == []


def test_the_most_specific_region_with_a_rule_decides(ledger, jiujiang):
    street_rule = EarningRule.objects.create(
        region=jiujiang["street"], event="station_visit", points=7
    )
    assert rule_for(event="station_visit", region_code="360403001001") == street_rule
    assert rule_for(event="station_visit", region_code="360403002") == ledger.rules["station_visit"]
    assert rule_for(event="station_visit", region_code="360402001") is None


def test_an_award_is_made_once_per_source(ledger):
    first = award_by_rule(
        user=ledger.worker,
        event="report_accepted",
        region_code="360403001",
        source_key="report_accepted:1",
    )
    again = award_by_rule(
        user=ledger.worker,
        event="report_accepted",
        region_code="360403001",
        source_key="report_accepted:1",
    )
    assert first.created and first.points == 20
    assert not again.created and again.note == "duplicate" and again.transfer == first.transfer
    assert balance_of(user=ledger.worker) == 20


def test_no_rule_no_award(ledger):
    result = award_by_rule(
        user=ledger.worker,
        event="report_accepted",
        region_code="360402001",
        source_key="report_accepted:9",
    )
    assert result.note == "no_rule" and balance_of(user=ledger.worker) == 0


def test_a_rule_that_requires_verified_visits_pays_only_those(ledger):
    rule = ledger.rules["station_visit"]
    rule.requires_verified = True
    rule.save()

    def award(key: str, verified: bool):
        return award_by_rule(
            user=ledger.worker,
            event="station_visit",
            region_code="360403001",
            source_key=key,
            verified=verified,
        )

    assert award("station_visit:1", verified=False).note == "unverified"
    assert award("station_visit:2", verified=True).note == "awarded"
    assert balance_of(user=ledger.worker) == ledger.rules["station_visit"].points


def test_unverified_and_flagged_visit_events_earn_nothing_under_such_a_rule(
    ledger, django_capture_on_commit_callbacks
):
    rule = ledger.rules["station_visit"]
    rule.requires_verified = True
    rule.save()
    base = {
        "user_id": ledger.worker.pk,
        "station_id": 1,
        "station_name": "甘棠驿站",
        "region_code": "360403001",
        "occurred_at": WHEN,
    }
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(VisitRecorded(visit_id=1, verified=False, **base))
        events.publish(VisitRecorded(visit_id=2, verified=True, flagged=True, **base))
    assert balance_of(user=ledger.worker) == 0
    # Accepted on review, the flagged visit is announced again, unflagged, and earns.
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(VisitRecorded(visit_id=2, verified=True, **base))
    assert balance_of(user=ledger.worker) == rule.points


def test_the_daily_cap_counts_shanghai_days(ledger):
    # 5 points a visit, at most 10 a day.
    late_evening = datetime(2025, 6, 1, 23, 30, tzinfo=SHANGHAI)
    points = [
        award_by_rule(
            user=ledger.worker,
            event="station_visit",
            region_code="360403001",
            source_key=f"v{i}",
            occurred_at=late_evening + timedelta(minutes=i),
        ).points
        for i in range(3)
    ]
    assert points == [5, 5, 0]
    # 00:10 in Shanghai is 16:10 UTC of the day before, yet it is a new day for the cap.
    after_midnight = datetime(2025, 6, 2, 0, 10, tzinfo=SHANGHAI)
    assert after_midnight.astimezone(ZoneInfo("UTC")).day == 1
    assert (
        award_by_rule(
            user=ledger.worker,
            event="station_visit",
            region_code="360403001",
            source_key="v9",
            occurred_at=after_midnight,
        ).points
        == 5
    )


def test_an_award_is_cut_to_what_is_left_of_the_cap(ledger):
    rule = ledger.rules["volunteer_hour"]  # 10 an hour, at most 100 a day
    rule.monthly_cap = 150
    rule.save()
    day = datetime(2025, 6, 10, 12, tzinfo=SHANGHAI)
    assert (
        award_by_rule(
            user=ledger.worker,
            event="volunteer_hour",
            region_code="360403",
            source_key="h1",
            occurred_at=day,
            quantity=8,
        ).points
        == 80
    )
    assert (
        award_by_rule(
            user=ledger.worker,
            event="volunteer_hour",
            region_code="360403",
            source_key="h2",
            occurred_at=day,
            quantity=5,
        ).points
        == 20
    )
    assert (
        award_by_rule(
            user=ledger.worker,
            event="volunteer_hour",
            region_code="360403",
            source_key="h3",
            occurred_at=day + timedelta(days=1),
            quantity=9,
        ).points
        == 50
    )
    capped = award_by_rule(
        user=ledger.worker,
        event="volunteer_hour",
        region_code="360403",
        source_key="h4",
        occurred_at=day + timedelta(days=2),
        quantity=1,
    )
    assert capped.note == "capped" and capped.transfer is None
    # Next month the monthly cap starts again.
    assert (
        award_by_rule(
            user=ledger.worker,
            event="volunteer_hour",
            region_code="360403",
            source_key="h5",
            occurred_at=datetime(2025, 7, 1, 0, 5, tzinfo=SHANGHAI),
            quantity=1,
        ).points
        == 10
    )


def test_a_reversed_award_frees_its_part_of_the_cap(ledger):
    at = datetime(2025, 6, 1, 9, tzinfo=SHANGHAI)
    first = award_by_rule(
        user=ledger.worker,
        event="need_rated",
        region_code="360403",
        source_key="n1",
        occurred_at=at,
    )
    award_by_rule(
        user=ledger.worker,
        event="need_rated",
        region_code="360403",
        source_key="n2",
        occurred_at=at,
    )
    assert (
        award_by_rule(
            user=ledger.worker,
            event="need_rated",
            region_code="360403",
            source_key="n3",
            occurred_at=at,
        ).note
        == "capped"
    )
    transfer_reverse(transfer=first.transfer, memo="评价无效")
    assert (
        award_by_rule(
            user=ledger.worker,
            event="need_rated",
            region_code="360403",
            source_key="n4",
            occurred_at=at,
        ).points
        == 2
    )


def test_an_unfunded_issuer_awards_nothing(ledger, jiujiang):
    EarningRule.objects.create(region=jiujiang["lianxi"], event="report_accepted", points=20)
    with pytest.raises(Conflict) as caught:
        award_by_rule(
            user=ledger.worker,
            event="report_accepted",
            region_code="360402001",
            source_key="report_accepted:77",
        )
    assert caught.value.code == "insufficient_points"
    assert not Transfer.objects.filter(source_key="report_accepted:77").exists()


def test_points_come_from_the_rule_regions_issuer(ledger):
    issuer = issuer_account(region=ledger.region)
    before = issuer.balance
    award_by_rule(
        user=ledger.worker,
        event="report_accepted",
        region_code="360403001",
        source_key="report_accepted:2",
    )
    issuer.refresh_from_db()
    assert issuer.balance == before - 20


def test_a_manual_training_award_needs_an_occasion_and_is_made_once(ledger):
    from dandelion.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        award_manual(
            actor=ledger.admin,
            user_id=ledger.worker.pk,
            event="training_attended",
            region_code="360403",
            reference=" ",
        )
    first = award_manual(
        actor=ledger.admin,
        user_id=ledger.worker.pk,
        event="training_attended",
        region_code="360403",
        reference="2025-06 急救培训",
    )
    again = award_manual(
        actor=ledger.admin,
        user_id=ledger.worker.pk,
        event="training_attended",
        region_code="360403",
        reference="2025-06 急救培训",
    )
    assert first.points == 15 and not again.created
    assert first.transfer.actor == ledger.admin


WHEN = datetime(2025, 6, 1, 10, tzinfo=SHANGHAI)


def _events(worker_id: int) -> list[tuple[events.Event, str, int]]:
    return [
        (
            ReportAccepted(
                report_id=31,
                reporter_id=worker_id,
                region_code="360403001",
                category="road",
                occurred_at=WHEN,
            ),
            "report_accepted:31",
            20,
        ),
        (
            NeedRated(
                need_id=12, worker_id=worker_id, stars=5, region_code="360403001", occurred_at=WHEN
            ),
            "need_rated:12",
            2,
        ),
        (
            VisitRecorded(
                visit_id=4,
                user_id=worker_id,
                station_id=1,
                station_name="甘棠驿站",
                region_code="360403001",
                verified=True,
                occurred_at=WHEN,
            ),
            "station_visit:4",
            5,
        ),
        (
            HoursConfirmed(
                attendance_id=8,
                activity_id=3,
                worker_id=worker_id,
                minutes=90,
                points_per_hour=12,
                region_code="360403001",
                title="清洁家园",
                ended_at=WHEN,
                occurred_at=WHEN,
            ),
            "volunteer_hours:8",
            18,
        ),
    ]


@pytest.mark.parametrize("index", range(4))
def test_events_of_other_apps_award_once_however_often_delivered(
    ledger, django_capture_on_commit_callbacks, index
):
    event, key, points = _events(ledger.worker.pk)[index]
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(event)
    transfer = Transfer.objects.get(source_key=key)
    assert transfer.amount == points and transfer.credit.user == ledger.worker
    assert balance_of(user=ledger.worker) == points
    assert Notification.objects.filter(recipient=ledger.worker, kind="points.awarded").count() == 1


def test_an_event_payload_is_validated_when_published():
    with pytest.raises(ValidationError):
        NeedRated(need_id=12, worker_id="someone", stars=5, region_code="360403")


def test_an_event_for_an_unknown_person_awards_nothing(ledger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            ReportAccepted(
                report_id=5,
                reporter_id=999999,
                region_code="360403",
                category="road",
                occurred_at=WHEN,
            )
        )
    assert not Transfer.objects.filter(source_key="report_accepted:5").exists()


def test_caps_count_on_the_day_of_the_event_not_of_its_delivery(
    ledger, django_capture_on_commit_callbacks
):
    # Given the visit cap (two a day, see the ledger fixture) used up on 3 March
    for i in range(2):
        award_by_rule(
            user=ledger.worker,
            event="station_visit",
            region_code="360403",
            source_key=f"used{i}",
            occurred_at=datetime(2025, 3, 3, 9, tzinfo=SHANGHAI),
        )
    # When a visit made at 23:50 that day is delivered after midnight
    visit = VisitRecorded(
        visit_id=77,
        user_id=ledger.worker.pk,
        station_id=1,
        station_name="甘棠驿站",
        region_code="360403",
        verified=True,
        occurred_at=datetime(2025, 3, 3, 23, 50, tzinfo=SHANGHAI),
    )
    after_midnight = datetime(2025, 3, 4, 0, 10, tzinfo=SHANGHAI)
    with (
        time_machine.travel(after_midnight, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        events.publish(visit)
    # Then it counts against the 3rd's cap, and earns nothing
    assert not Transfer.objects.filter(source_key="station_visit:77").exists()
    # And with the 4th's rating cap (two) used up, a rating made late on the 3rd and delivered
    # on the 4th still earns: it counts on the 3rd
    for i in range(2):
        award_by_rule(
            user=ledger.worker,
            event="need_rated",
            region_code="360403",
            source_key=f"rated{i}",
            occurred_at=datetime(2025, 3, 4, 0, 5, tzinfo=SHANGHAI),
        )
    late = NeedRated(
        need_id=100,
        worker_id=ledger.worker.pk,
        stars=5,
        region_code="360403",
        occurred_at=datetime(2025, 3, 3, 23, 55, tzinfo=SHANGHAI),
    )
    after_midnight = datetime(2025, 3, 4, 0, 10, tzinfo=SHANGHAI)
    with (
        time_machine.travel(after_midnight, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        events.publish(late)
    assert Transfer.objects.get(source_key="need_rated:100").amount == 2


def test_caps_follow_the_clock(ledger):
    with time_machine.travel(datetime(2025, 3, 3, 8, tzinfo=SHANGHAI), tick=False):
        for i in range(3):
            award_by_rule(
                user=ledger.worker,
                event="station_visit",
                region_code="360403",
                source_key=f"clock{i}",
            )
    assert balance_of(user=ledger.worker) == 10


def test_an_activity_worth_no_points_awards_none(ledger, django_capture_on_commit_callbacks):
    # Given an activity its organiser set to 0 points an hour (the form and the API allow it)
    confirmed = HoursConfirmed(
        attendance_id=9,
        activity_id=3,
        worker_id=ledger.worker.pk,
        minutes=120,
        points_per_hour=0,
        region_code="360403001",
        title="无积分活动",
        ended_at=WHEN,
        occurred_at=WHEN,
    )
    # When its hours are confirmed
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(confirmed)
    # Then the rule's own points do not stand in for the organiser's 0
    assert not Transfer.objects.filter(source_key="volunteer_hours:9").exists()
    assert balance_of(user=ledger.worker) == 0
