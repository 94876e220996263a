"""Activities: states, who may publish, who is told, sign-ups with capacity and a waiting list."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dandelion.accounts.services import worker_profile_update
from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.notifications.models import Notification
from dandelion.orgs.models import Membership
from dandelion.orgs.services import membership_add, membership_approve
from dandelion.volunteering.models import Activity
from dandelion.volunteering.selectors import activities_near, activity_visible
from dandelion.volunteering.services import (
    activities_finish_due,
    activity_cancel,
    activity_create,
    activity_finish,
    activity_publish,
    activity_update,
    signup_cancel,
    signup_create,
)

pytestmark = pytest.mark.django_db


def test_a_station_gives_the_place(world, make_activity):
    activity = make_activity(publish=False)
    assert activity.status == "draft"
    assert (activity.lat, activity.lng) == (world.station_x.lat, world.station_x.lng)
    assert activity.region == world.station_x.region and activity.city_code == "360400"
    assert activity.address == world.station_x.address


def test_an_address_needs_a_point_and_region(world, make_activity):
    with pytest.raises(InvalidInput) as caught:
        make_activity(publish=False, station=None, address="湓浦路口")
    assert {e["field"] for e in caught.value.errors} == {"lat", "lng", "region"}
    activity = make_activity(
        publish=False, station=None, address="湓浦路口", lat=29.72, lng=115.99, region=world.street
    )
    assert activity.station is None and activity.city_code == "360400"


def test_the_end_comes_after_the_start(world, make_activity):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(InvalidInput) as caught:
        make_activity(publish=False, starts_at=start, ends_at=start)
    assert caught.value.errors[0]["field"] == "ends_at"


def test_only_the_organisations_leaders_and_region_admins_publish(world, make_activity):
    with pytest.raises(PermissionDenied):
        make_activity(actor=world.leader_l)
    with pytest.raises(PermissionDenied):
        make_activity(actor=world.worker_x)
    with pytest.raises(PermissionDenied):
        make_activity(actor=world.manager_x)
    assert make_activity(actor=world.admin_x).status == "published"


def _told() -> set[int]:
    return set(
        Notification.objects.filter(kind="volunteering.activity_published").values_list(
            "recipient_id", flat=True
        )
    )


def test_publishing_tells_matching_volunteers(
    world, make_activity, volunteers, make_worker, django_capture_on_commit_callbacks
):
    far = make_worker(name="濂溪志愿者", street=world.street_l)
    worker_profile_update(user=far, changes={"is_volunteer": True})
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity()
    assert _told() == {v.pk for v in volunteers}
    assert activity.events.last().to_state == "published"
    # Wanting a skill narrows it to those who have it.
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(skills=["急救"])
    assert _told() == {volunteers[0].pk}


def test_the_volunteers_are_told_by_the_published_event_once(
    world, make_activity, volunteers, django_capture_on_commit_callbacks
):
    """`activity_publish` announces `volunteering.activity_published`; its subscriber tells the
    volunteers once the publication commits (a rollback tells nobody), and a redelivered event
    tells nobody twice."""
    from dandelion.core import events
    from dandelion.volunteering.events import ActivityPublished

    seen: list[ActivityPublished] = []
    events.subscribe(ActivityPublished, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            activity = make_activity()
        assert _told() == set()  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        events._handlers[ActivityPublished.name].remove(seen.append)
    [event] = seen
    assert (event.activity_id, event.region_code) == (activity.pk, activity.region.code)
    assert (event.title, event.starts_at, event.ends_at) == (
        activity.title,
        activity.starts_at,
        activity.ends_at,
    )
    assert _told() == {v.pk for v in volunteers}
    [note] = Notification.objects.filter(
        kind="volunteering.activity_published", recipient=volunteers[0]
    )
    assert note.params["title"] == "驿站清洁日" and note.params["organisation"] == "甘棠骑手志愿队"
    assert note.url == f"/volunteer/activities/{activity.pk}/"
    events.deliver(ActivityPublished.name, event.model_dump(mode="json"))
    assert Notification.objects.filter(kind="volunteering.activity_published").count() == 3


def test_a_team_only_activity_is_recommended_to_its_members_only(
    world, make_activity, volunteers, django_capture_on_commit_callbacks
):
    membership_approve(membership=world.request_x, actor=world.leader_x)
    worker_profile_update(user=world.worker_x, changes={"is_volunteer": True})
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(visibility="team")
    assert _told() == {world.worker_x.pk}


def test_an_activity_cancelled_before_its_event_arrives_is_recommended_to_nobody(
    world, make_activity, volunteers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        activity = make_activity()
    activity_cancel(actor=world.leader_x, activity=activity, reason="暴雨预警")
    for callback in callbacks:
        callback()
    assert _told() == set()


def test_illegal_moves_are_conflicts_naming_the_state(world, make_activity):
    activity = make_activity()
    with pytest.raises(Conflict) as caught:
        activity_publish(actor=world.leader_x, activity=activity)
    assert caught.value.code == "illegal_transition"
    assert caught.value.extra["state"] == "published"
    with pytest.raises(Conflict) as caught:
        activity_finish(actor=world.leader_x, activity=activity)
    assert caught.value.code == "activity_not_started"


def test_a_published_activity_keeps_its_time(world, make_activity):
    activity = make_activity()
    with pytest.raises(Conflict):
        activity_update(
            actor=world.leader_x,
            activity=activity,
            changes={"starts_at": activity.starts_at + timedelta(hours=1)},
        )
    changed = activity_update(actor=world.leader_x, activity=activity, changes={"title": "新标题"})
    assert changed.title == "新标题"


def test_capacity_then_waiting_list_then_moving_up(world, make_activity, volunteers):
    activity = make_activity(capacity=2)
    a, b, c = volunteers
    sa, _ = signup_create(activity_id=activity.pk, user=a)
    sb, _ = signup_create(activity_id=activity.pk, user=b)
    sc, _ = signup_create(activity_id=activity.pk, user=c)
    assert [sa.status, sb.status, sc.status] == ["confirmed", "confirmed", "waiting"]
    again, created_again = signup_create(activity_id=activity.pk, user=a)
    assert again == sa and not created_again

    signup_cancel(activity_id=activity.pk, user=a)
    sc.refresh_from_db()
    assert sc.status == "confirmed" and sc.promoted_at is not None
    assert Notification.objects.filter(recipient=c, kind="volunteering.signup_promoted").exists()
    assert activity.signups.filter(status="confirmed").count() == 2


def test_a_waiting_person_who_cancels_moves_nobody(world, make_activity, volunteers):
    activity = make_activity(capacity=1)
    a, b, c = volunteers
    for person in volunteers:
        signup_create(activity_id=activity.pk, user=person)
    signup_cancel(activity_id=activity.pk, user=b)
    statuses = dict(activity.signups.values_list("user_id", "status"))
    assert statuses == {a.pk: "confirmed", b.pk: "cancelled", c.pk: "waiting"}


def test_the_first_waiting_moves_up_not_the_last(world, make_activity, volunteers, make_worker):
    activity = make_activity(capacity=1)
    late = make_worker(name="后来的")
    for person in [*volunteers, late]:
        signup_create(activity_id=activity.pk, user=person)
    signup_cancel(activity_id=activity.pk, user=volunteers[0])
    assert activity.signups.get(status="confirmed").user == volunteers[1]


def test_raising_capacity_moves_waiting_people_up(world, make_activity, volunteers):
    activity = make_activity(capacity=1)
    for person in volunteers:
        signup_create(activity_id=activity.pk, user=person)
    activity_update(actor=world.leader_x, activity=activity, changes={"capacity": 3})
    assert activity.signups.filter(status="confirmed").count() == 3


def test_cancelling_is_allowed_until_the_start(world, make_activity, volunteers):
    activity = make_activity()
    signup_create(activity_id=activity.pk, user=volunteers[0])
    with time_machine.travel(activity.starts_at), pytest.raises(Conflict) as caught:
        signup_cancel(activity_id=activity.pk, user=volunteers[0])
    assert caught.value.code == "activity_started"
    with time_machine.travel(activity.starts_at - timedelta(seconds=1)):
        assert signup_cancel(activity_id=activity.pk, user=volunteers[0]).status == "cancelled"
    with pytest.raises(NotFound):
        signup_cancel(activity_id=activity.pk, user=volunteers[0])


def test_no_sign_up_after_the_start_or_for_drafts(world, make_activity, volunteers):
    draft = make_activity(publish=False)
    with pytest.raises(NotFound):
        signup_create(activity_id=draft.pk, user=volunteers[0])
    activity = make_activity()
    with time_machine.travel(activity.starts_at + timedelta(minutes=1)), pytest.raises(Conflict):
        signup_create(activity_id=activity.pk, user=volunteers[0])


def test_team_only_activities_are_for_members(world, make_activity, volunteers):
    activity = make_activity(visibility="team")
    with pytest.raises(NotFound):
        signup_create(activity_id=activity.pk, user=volunteers[0])
    assert activity_visible(user=volunteers[0], activity_id=activity.pk) is None
    assert activity not in activities_near(user=volunteers[0], lat=None, lng=None)
    # worker_x asked to join the team in the world fixture; once approved they may sign up.
    membership_approve(membership=world.request_x, actor=world.leader_x)
    world.request_x.refresh_from_db()
    assert world.request_x.status == Membership.Status.ACTIVE
    signup, _ = signup_create(activity_id=activity.pk, user=world.worker_x)
    assert signup.status == "confirmed"


def test_cancelling_an_activity_tells_everyone_signed_up(world, make_activity, volunteers):
    activity = make_activity(capacity=1)
    for person in volunteers[:2]:
        signup_create(activity_id=activity.pk, user=person)
    with pytest.raises(InvalidInput):
        activity_cancel(actor=world.leader_x, activity=activity, reason=" ")
    activity = activity_cancel(actor=world.leader_x, activity=activity, reason="暴雨预警")
    assert activity.status == "cancelled"
    told = Notification.objects.filter(kind="volunteering.activity_cancelled")
    assert {n.recipient_id for n in told} == {volunteers[0].pk, volunteers[1].pk}
    assert told.first().params["reason"] == "暴雨预警"
    with pytest.raises(Conflict):
        signup_create(activity_id=activity.pk, user=volunteers[2])


def test_activities_near_me_rank_by_distance(world, make_activity, volunteers):
    near = make_activity(title="近处")
    far = make_activity(
        title="远处", station=None, address="濂溪", lat=29.67, lng=116.02, region=world.street_l
    )
    rows = activities_near(user=volunteers[0], lat=29.7275, lng=115.9899)
    assert [r.title for r in rows] == ["近处", "远处"]
    assert rows[0].distance_m < rows[1].distance_m
    assert rows[0].confirmed_count == 0
    assert near.pk != far.pk


def test_ended_activities_finish_by_themselves(world, make_activity):
    activity = make_activity()
    with time_machine.travel(activity.ends_at + timedelta(hours=13)):
        assert activities_finish_due() == 1
    activity.refresh_from_db()
    assert activity.status == Activity.Status.FINISHED


def test_creating_checks_fields(world):
    with pytest.raises(InvalidInput):
        activity_create(actor=world.leader_x, organisation=world.team_x, colour="red")
    with pytest.raises(InvalidInput) as caught:
        activity_create(
            actor=world.leader_x,
            organisation=world.team_x,
            title="x",
            station=world.station_x,
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
            capacity=1,
            skills=["a" * 30],
        )
    assert caught.value.code == "invalid_skills"


def test_a_team_only_activity_is_listed_for_those_who_may_join_it(
    world, make_activity, make_worker
):
    # Given a team-only activity of the party committee, and a member of one of its branches
    activity = make_activity(visibility="team", organisation=world.committee_x, actor=world.admin_x)
    member = make_worker(name="支部党员")
    membership_add(organisation=world.branch_x, user=member, actor=world.admin_x)
    # Then the feed lists the activity the detail page shows and sign-up accepts
    assert activity_visible(user=member, activity_id=activity.pk) is not None
    assert activity in activities_near(user=member, lat=None, lng=None)
    signup, _ = signup_create(activity_id=activity.pk, user=member)
    assert signup.status == "confirmed"
