"""The figures that events keep current, one event kind at a time: the real service makes the
change inside a past day (time travel), its events are delivered afterwards (today, as a task
that runs late would), and the figures equal the recount of the rows with no sweep and no
rebuild in between; delivering the same events again changes no cell.

Each test starts from a rebuild (the given: roll-ups equal to the rows the fixtures wrote), so
a change that no handler refreshes shows as a figure that differs from its recount."""

from contextlib import contextmanager
from datetime import date, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from dandelion.core import events
from dandelion.figures import selectors, services
from dandelion.figures.models import DailyFigure, FigurePerson

from .history import FIGURE_NAMES, figures_flat, local, recount

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = TODAY - timedelta(days=40)  # the day the changes happen: not the day they are delivered


@pytest.fixture
def announced():
    """`watch(*types)`: the events of those types delivered from now on, in order."""
    seen: list[events.Event] = []
    watched: list[type[events.Event]] = []

    def watch(*types: type[events.Event]) -> list[events.Event]:
        for event_type in types:
            events.subscribe(event_type, seen.append)
            watched.append(event_type)
        return seen

    yield watch
    for event_type in watched:
        events._handlers[event_type.name].remove(seen.append)


@pytest.fixture
def on(django_capture_on_commit_callbacks):
    """`with on(moment):` runs the block at `moment` (Asia/Shanghai) and delivers the events it
    published afterwards, at the real time, as a late task would."""

    @contextmanager
    def at(moment):
        with (
            django_capture_on_commit_callbacks() as callbacks,
            time_machine.travel(moment, tick=False),
        ):
            yield
        for callback in callbacks:
            callback()

    return at


def _compute(region, date_from, date_to):
    return selectors.figures_compute(region=region, date_from=date_from, date_to=date_to)


def _assert_figures_are_the_recount(world) -> None:
    """Every figure of every region over a few periods equals its recount, and every cell and
    sum of the roll-ups equals the rows' (`figures_check`'s comparison)."""
    periods = [
        (D, D),
        (D - timedelta(days=1), D + timedelta(days=9)),
        (D - timedelta(days=400), TODAY + timedelta(days=1)),
    ]
    for region in (world.city, world.xunyang, world.lianxi, world.street, world.street_l):
        for date_from, date_to in periods:
            got = figures_flat(_compute(region, date_from, date_to))
            want = recount(prefix=region.code_prefix, date_from=date_from, date_to=date_to)
            assert got == {name: want[name] for name in FIGURE_NAMES}, (region, date_from)
    assert selectors.figures_differences() == []


def _snapshot():
    """Every roll-up row, every column but the id."""

    def rows(model) -> list[tuple]:
        columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        return sorted(model.objects.values_list(*columns))

    return rows(DailyFigure), rows(FigurePerson)


def _assert_redelivery_changes_nothing(seen: list[events.Event]) -> None:
    assert seen, "no event was announced"
    delivered = list(seen)  # delivering them again appends to `seen`
    kept = _snapshot()
    for _ in range(2):
        for event in delivered:
            events.deliver(event.name, event.model_dump(mode="json"))
    assert _snapshot() == kept
    assert seen == delivered * 3


def _figure(region, name: str, date_from: date = D, date_to: date = D):
    return figures_flat(_compute(region, date_from, date_to))[name]


def _all_time(region, name: str):
    return _figure(region, name, D - timedelta(days=400), TODAY)


# --- registrations (报到) ---------------------------------------------------------------------


def test_a_registration_and_a_change_of_street_drive_the_workers(world, make_user, announced, on):
    from dandelion.accounts.events import WorkerProfileChanged, WorkerRegistered
    from dandelion.accounts.services import worker_profile_update, worker_register

    seen = announced(WorkerRegistered, WorkerProfileChanged)
    services.figures_rebuild()
    person = make_user(name="新骑手")
    with on(local(D, 10)):
        worker_register(
            user=person,
            changes={
                "occupation": "courier",
                "platform": "sf_express",
                "work_region_code": world.street.code,
                "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
            },
        )
    assert _figure(world.xunyang, "workers.registered_in_period") == 1
    _assert_figures_are_the_recount(world)
    # The worker moves to another district's street and changes occupation a week later: they
    # leave the day they registered on in 浔阳区 and join it in 濂溪区.
    with on(local(D + timedelta(days=7), 9)):
        worker_profile_update(
            user=person,
            changes={"work_region_code": world.street_l.code, "occupation": "delivery_rider"},
        )
    assert [e.name for e in seen] == [WorkerRegistered.name, WorkerProfileChanged.name]
    assert seen[1].registered_at == local(D, 10)
    assert seen[1].changed == ("work_region", "occupation")
    assert seen[1].previous_region_code == world.street.code
    assert _figure(world.xunyang, "workers.registered_in_period") == 0
    assert _figure(world.lianxi, "workers.registered_in_period") == 1
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)
    # Other profile changes announce nothing.
    announced_so_far = len(seen)
    with on(local(D + timedelta(days=8), 9)):
        worker_profile_update(user=person, changes={"skills": ["急救"]})
    assert len(seen) == announced_so_far


# --- wishes and problems ----------------------------------------------------------------------


def test_wishes_posted_and_fulfilled_count_on_their_days(world, announced, on):
    from dandelion.needs.events import WishFulfilled, WishPosted
    from dandelion.needs.models import WishReviewPolicy
    from dandelion.needs.services import wish_approve, wish_confirm, wish_create, wish_pledge

    seen = announced(WishPosted, WishFulfilled)
    # 濂溪区 reviews wishes before they go on the wall.
    WishReviewPolicy.objects.create(region=world.lianxi, review_required=True)
    services.figures_rebuild()
    with on(local(D, 9)):
        open_wish = wish_create(worker=world.worker_x, title="想要一个头盔")
        reviewed = wish_create(worker=world.worker_l, title="想要一件雨衣")
    assert (open_wish.state, reviewed.state) == ("open", "pending_review")
    # A wish waiting for review has been posted: it counts on the day it was posted, not on
    # the day it is approved.
    assert _figure(world.city, "wishes.posted") == 2
    _assert_figures_are_the_recount(world)
    with on(local(D + timedelta(days=2), 9)):
        wish_approve(wish=reviewed, actor=world.admin_l)
    assert _figure(world.city, "wishes.posted", D + timedelta(days=2), D + timedelta(days=2)) == 0
    with on(local(D + timedelta(days=3), 9)):
        wish_pledge(wish=open_wish, pledger=world.worker_l, kind="volunteer", display_name="十里")
    with on(local(D + timedelta(days=5), 18)):
        wish_confirm(wish=open_wish, actor=world.worker_x)
    day = D + timedelta(days=5)
    assert _figure(world.xunyang, "wishes.fulfilled", day, day) == 1
    assert [e.name for e in seen] == [WishPosted.name, WishPosted.name, WishFulfilled.name]
    assert [e.state for e in seen[:2]] == ["open", "pending_review"]
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


def test_problems_raised_and_solved_count_on_their_days(world, announced, on):
    from dandelion.needs.events import ProblemClosed, ProblemRaised
    from dandelion.needs.services import problem_close, problem_create

    seen = announced(ProblemRaised, ProblemClosed)
    services.figures_rebuild()
    with on(local(D, 10)):
        solved = problem_create(actor=world.dispatcher_x, title="骑手进小区难", region=world.street)
        left = problem_create(actor=world.dispatcher_x, title="充电桩不够", region=world.xunyang)
    assert _figure(world.city, "problems.raised") == 2
    _assert_figures_are_the_recount(world)
    with on(local(D + timedelta(days=4), 16)):
        problem_close(problem=solved, actor=world.dispatcher_x, outcome="solved", note="已协调")
        problem_close(problem=left, actor=world.dispatcher_x, outcome="unsolved")
    day = D + timedelta(days=4)
    assert _figure(world.city, "problems.solved", day, day) == 1
    assert [(e.name, getattr(e, "outcome", None)) for e in seen] == [
        (ProblemRaised.name, None),
        (ProblemRaised.name, None),
        (ProblemClosed.name, "solved"),
        (ProblemClosed.name, "unsolved"),
    ]
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


# --- teams, branches and party members ----------------------------------------------------------


def test_teams_and_branches_created_moved_and_deactivated(world, announced, on):
    from dandelion.orgs.events import OrganisationChanged
    from dandelion.orgs.services import organisation_create, organisation_update

    seen = announced(OrganisationChanged)
    services.figures_rebuild()
    teams_l = _all_time(world.lianxi, "volunteering.teams")
    with on(local(D, 10)):
        team = organisation_create(name="十里二队", kind="volunteer_team", region=world.street_l)
    assert _all_time(world.lianxi, "volunteering.teams") == teams_l + 1
    _assert_figures_are_the_recount(world)
    # A branch moves to 浔阳区, taking its confirmed party member with it; a team stops.
    members_l = _all_time(world.lianxi, "party.members_identified")
    assert members_l == 1
    with on(local(D + timedelta(days=1), 10)):
        organisation_update(organisation=world.branch_l, region=world.street)
        organisation_update(organisation=team, is_active=False)
        organisation_update(organisation=world.team_l, description="只改说明")
    assert _all_time(world.lianxi, "party.branches") == 0
    assert _all_time(world.lianxi, "party.members_identified") == 0
    assert _all_time(world.xunyang, "party.branches") == 2
    assert _all_time(world.lianxi, "volunteering.teams") == teams_l
    assert [(e.created, e.changed, e.previous_region_code) for e in seen] == [
        (True, (), None),
        (False, ("region",), world.street_l.code),
        (False, ("is_active",), None),
    ]
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


def test_party_members_confirmed_and_erased(world, announced, on):
    from dandelion.accounts.services import account_anonymise
    from dandelion.orgs.events import PartyMembershipChanged
    from dandelion.orgs.services import party_membership_confirm

    seen = announced(PartyMembershipChanged)
    services.figures_rebuild()
    assert _all_time(world.xunyang, "party.members_identified") == 0
    with on(local(D, 11)):
        party_membership_confirm(party_membership=world.party_x, actor=world.secretary_x)
    assert _all_time(world.xunyang, "party.members_identified") == 1
    assert _figure(world.xunyang, "party.reregistered") == 1  # a mobile member, that day
    _assert_figures_are_the_recount(world)
    # Deleting an account erases its party declaration (sensitive): the member leaves the count.
    with on(local(D + timedelta(days=2), 11)):
        account_anonymise(user=world.worker_l)
    assert _all_time(world.lianxi, "party.members_identified") == 0
    assert [(e.state, e.region_code) for e in seen] == [
        ("confirmed", world.street.code),
        ("erased", world.street_l.code),
    ]
    assert "user_id" not in seen[0].model_dump()
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


# --- redemptions --------------------------------------------------------------------------------


def test_redemptions_issued_and_cancelled(world, make_user, announced, on):
    from dandelion.points.events import RedemptionCancelled, RedemptionIssued
    from dandelion.points.models import EarningRule, Reward
    from dandelion.points.services import (
        award_by_rule,
        issuer_fund,
        redemption_cancel,
        reward_redeem,
    )

    seen = announced(RedemptionIssued, RedemptionCancelled)
    admin = make_user(name="超管", is_superuser=True)
    issuer_fund(region=world.xunyang, amount=1_000, actor=admin, source_key="fund:figures")
    EarningRule.objects.create(region=world.xunyang, event="report_accepted", points=50)
    award_by_rule(
        user=world.worker_x,
        event="report_accepted",
        region_code=world.street.code,
        source_key="report_accepted:figures",
        occurred_at=local(D - timedelta(days=1)),
    )
    reward = Reward.objects.create(
        title="矿泉水",
        kind="drink",
        station=world.station_x,
        region=world.street,
        city_code=world.street.city_code,
        price=10,
        stock=5,
        per_person_limit=3,
        valid_from=local(D - timedelta(days=10)),
        valid_until=local(D + timedelta(days=30)),
    )
    services.figures_rebuild()
    with on(local(D, 12)):
        kept, _ = reward_redeem(reward_id=reward.pk, user=world.worker_x, idempotency_key="a")
        cancelled, _ = reward_redeem(reward_id=reward.pk, user=world.worker_x, idempotency_key="b")
        again, created = reward_redeem(
            reward_id=reward.pk, user=world.worker_x, idempotency_key="a"
        )
    assert again == kept and not created  # a retried request announces nothing
    assert _figure(world.xunyang, "points.redemptions") == 2
    assert _figure(world.xunyang, "points.redeemed") == 20
    _assert_figures_are_the_recount(world)
    # Cancelled two days later, the redemption leaves the day it was issued on.
    with on(local(D + timedelta(days=2), 9)):
        redemption_cancel(redemption_id=cancelled.pk, actor=world.worker_x)
    assert _figure(world.xunyang, "points.redemptions") == 1
    assert _figure(world.xunyang, "points.redeemed") == 10
    assert [e.name for e in seen] == [RedemptionIssued.name] * 2 + [RedemptionCancelled.name]
    assert seen[-1].issued_at == local(D, 12)
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


# --- activities ---------------------------------------------------------------------------------


def test_activities_published_cancelled_and_finished(world, announced, on):
    from dandelion.volunteering.events import (
        ActivityCancelled,
        ActivityFinished,
        ActivityPublished,
    )
    from dandelion.volunteering.services import (
        activities_finish_due,
        activity_cancel,
        activity_create,
        activity_finish,
        activity_publish,
    )

    seen = announced(ActivityPublished, ActivityCancelled, ActivityFinished)
    services.figures_rebuild()
    end_day = D + timedelta(days=1)

    def draft(title: str, region):
        return activity_create(
            actor=world.leader_x,
            organisation=world.team_x,
            title=title,
            address="湓浦路口",
            lat=29.72,
            lng=115.99,
            region=region,
            starts_at=local(end_day, 9),
            ends_at=local(end_day, 12),
            capacity=5,
        )

    with on(local(D, 9)):
        finished = activity_publish(actor=world.leader_x, activity=draft("清洁日", world.street))
        cancelled = activity_publish(actor=world.leader_x, activity=draft("义诊", world.street))
        auto = activity_publish(actor=world.leader_x, activity=draft("宣讲", world.street_l))
        unpublished = draft("草稿", world.street)
    # Published activities count on the day they end, the draft not at all.
    assert _figure(world.city, "volunteering.activities", end_day, end_day) == 3
    _assert_figures_are_the_recount(world)
    with on(local(D, 20)):
        activity_cancel(actor=world.leader_x, activity=cancelled, reason="暴雨预警")
        activity_cancel(actor=world.leader_x, activity=unpublished, reason="不办了")
    assert _figure(world.city, "volunteering.activities", end_day, end_day) == 2
    with on(local(end_day, 12, 30)):
        activity_finish(actor=world.leader_x, activity=finished)
    with on(local(end_day + timedelta(days=1), 9)):
        assert activities_finish_due() == 1
    assert _figure(world.city, "volunteering.activities", end_day, end_day) == 2
    assert [(e.name, e.activity_id) for e in seen] == [
        (ActivityPublished.name, finished.pk),
        (ActivityPublished.name, cancelled.pk),
        (ActivityPublished.name, auto.pk),
        (ActivityCancelled.name, cancelled.pk),
        (ActivityCancelled.name, unpublished.pk),
        (ActivityFinished.name, finished.pk),
        (ActivityFinished.name, auto.pk),
    ]
    assert (seen[3].previous_status, seen[4].previous_status) == ("published", "draft")
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


# --- stations and partner places ----------------------------------------------------------------


def _by_key(breakdown) -> dict[str, int]:
    return {row.key: row.value for row in breakdown if row.value}


def test_stations_created_closed_moved_and_changed(world, announced, on):
    from dandelion.stations.events import StationChanged
    from dandelion.stations.services import place_set_weekly_hours, station_create, station_update

    seen = announced(StationChanged)
    services.figures_rebuild()
    with on(local(D, 10)):
        station = station_create(
            name="十里二站",
            region=world.street_l,
            address="十里大道1号",
            lat=29.67,
            lng=116.02,
            kind="courier",
            origin="new_build",
            is_24h=True,
        )
    out = _compute(world.lianxi, D, TODAY)  # the fixture's station was made today
    assert (out.stations.total, out.stations.open_24h) == (2, 2)
    assert _by_key(out.stations.by_kind) == {"comprehensive": 1, "courier": 1}
    _assert_figures_are_the_recount(world)
    with on(local(D + timedelta(days=3), 10)):
        station_update(station=station, kind="rider_home", phone="0792-1234567")
        place_set_weekly_hours(place=station, intervals=[(0, time(9), time(18))], is_24h=False)
    out = _compute(world.lianxi, D, TODAY)
    assert _by_key(out.stations.by_kind) == {"comprehensive": 1, "rider_home": 1}
    assert out.stations.open_24h == 1
    _assert_figures_are_the_recount(world)
    with on(local(D + timedelta(days=5), 10)):
        station_update(station=station, region=world.street)
        station_update(station=world.station_x, status="closed")
        station_update(station=world.station_l, name="十里驿站（新）")  # announces nothing
    assert _compute(world.lianxi, D, TODAY).stations.total == 1
    assert _compute(world.xunyang, D, TODAY).stations.total == 1
    assert [(e.created, e.changed, e.previous_region_code) for e in seen] == [
        (True, (), None),
        (False, ("kind",), None),
        (False, ("is_24h",), None),
        (False, ("region",), world.street_l.code),
        (False, ("status",), None),
    ]
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


def test_partner_places_created_closed_and_changed(world, announced, on):
    from dandelion.stations.events import PartnerChanged
    from dandelion.stations.services import partner_create, partner_update

    seen = announced(PartnerChanged)
    services.figures_rebuild()

    def partner(name: str, kind: str):
        return partner_create(
            name=name,
            region=world.street,
            address="甘棠路1号",
            lat=29.72,
            lng=115.99,
            kind=kind,
            offer="免费饮水",
        )

    with on(local(D, 10)):
        shop = partner("爱心面馆", "caring_merchant")
        corner = partner("银行服务角", "service_corner")
    out = _compute(world.xunyang, D, D)
    assert (out.partners.total, _by_key(out.partners.by_kind)) == (
        2,
        {"caring_merchant": 1, "service_corner": 1},
    )
    _assert_figures_are_the_recount(world)
    with on(local(D + timedelta(days=2), 10)):
        partner_update(partner=shop, kind="service_corner", offer="充电")
        partner_update(partner=corner, status="closed")
    out = _compute(world.xunyang, D, TODAY)
    assert (out.partners.total, _by_key(out.partners.by_kind)) == (1, {"service_corner": 1})
    assert [(e.created, e.changed) for e in seen] == [
        (True, ()),
        (True, ()),
        (False, ("kind",)),
        (False, ("status",)),
    ]
    _assert_figures_are_the_recount(world)
    _assert_redelivery_changes_nothing(seen)


def test_every_event_the_figures_subscribe_to_has_a_handler_here():
    """The handlers subscribed in `figures.apps` include one for each event of this file."""
    names = {
        "accounts.worker_registered",
        "accounts.worker_profile_changed",
        "needs.wish_posted",
        "needs.wish_fulfilled",
        "needs.problem_raised",
        "needs.problem_closed",
        "orgs.organisation_changed",
        "orgs.party_membership_changed",
        "points.redemption_issued",
        "points.redemption_cancelled",
        "volunteering.activity_published",
        "volunteering.activity_cancelled",
        "volunteering.activity_finished",
        "stations.station_changed",
        "stations.partner_changed",
    }
    for name in names:
        modules = {getattr(h, "__module__", "") for h in events.handlers_for(name)}
        assert "dandelion.figures.services" in modules, name
