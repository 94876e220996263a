"""Every list of the volunteering API and console costs the same number of queries for one row
as for five."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.volunteering.services import attendance_confirm, attendance_record, signup_create

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _confirmed_hour(world, activity, person) -> None:
    signup_create(activity_id=activity.pk, user=person)
    attendance = attendance_record(
        actor=world.leader_x,
        activity=activity,
        user=person,
        arrived_at=activity.starts_at,
        left_at=activity.ends_at,
    )
    attendance_confirm(actor=world.leader_x, attendance_id=attendance.pk)


LEADER_URLS = [
    "/api/v1/volunteering/manage/activities",
    "/api/v1/volunteering/hours?group=team",
    "/api/v1/volunteering/hours?group=region",
    "/console/volunteering/",
    "/console/volunteering/?status=published",
    "/console/volunteering/hours/",
    "/console/volunteering/hours/?group=region",
]
VOLUNTEER_URLS = [
    "/api/v1/volunteering/activities",
    "/api/v1/volunteering/activities?lat=29.72&lng=115.99",
    "/api/v1/me/volunteering/signups",
    "/api/v1/me/volunteering/hours",
    "/volunteer/",
    "/volunteer/feed/",
    "/volunteer/mine/",
    "/volunteer/hours/",
]


def test_lists_cost_the_same_for_one_row_as_for_five(world, make_activity, volunteers):
    # Given one activity the volunteer attended
    leader, volunteer = client_for(world.leader_x), client_for(volunteers[0])
    _confirmed_hour(world, make_activity(title="第1场", capacity=5), volunteers[0])
    one = {url: _queries(leader, url) for url in LEADER_URLS}
    one |= {url: _queries(volunteer, url) for url in VOLUNTEER_URLS}
    # When there are five, each attended
    for i in range(2, 6):
        _confirmed_hour(world, make_activity(title=f"第{i}场", capacity=5), volunteers[0])
    five = {url: _queries(leader, url) for url in LEADER_URLS}
    five |= {url: _queries(volunteer, url) for url in VOLUNTEER_URLS}
    # Then every list takes as many queries as before
    assert five == one


def test_the_console_detail_costs_the_same_for_one_volunteer_as_for_five(
    world, make_activity, volunteers, make_worker
):
    activity = make_activity(capacity=10)
    leader = client_for(world.leader_x)
    url = f"/console/volunteering/{activity.pk}/"
    _confirmed_hour(world, activity, volunteers[0])
    one = _queries(leader, url)
    for person in [*volunteers[1:], make_worker(name="又一位"), make_worker(name="再一位")]:
        _confirmed_hour(world, activity, person)
    assert _queries(leader, url) == one
