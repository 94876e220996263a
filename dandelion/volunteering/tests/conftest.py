from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dandelion.accounts.services import worker_profile_update
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.orgs.testing import *  # noqa: F403
from dandelion.points.models import EarningRule
from dandelion.points.services import issuer_fund
from dandelion.volunteering.services import activity_create, activity_publish


@pytest.fixture
def make_activity(world):
    """A published activity of 甘棠骑手志愿队 at 甘棠驿站 tomorrow 9:00–12:00 by default."""

    def make(*, publish=True, actor=None, organisation=None, **fields):
        start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        start += timedelta(days=1)
        defaults = {
            "title": "驿站清洁日",
            "description": "打扫驿站，整理书报",
            "station": world.station_x,
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "capacity": 2,
            "points_per_hour": 10,
        }
        defaults.update(fields)
        activity = activity_create(
            actor=actor or world.leader_x, organisation=organisation or world.team_x, **defaults
        )
        if publish:
            activity = activity_publish(actor=actor or world.leader_x, activity=activity)
        return activity

    return make


@pytest.fixture
def volunteers(world, make_worker):
    """Three volunteers working in 甘棠街道, one with first-aid skills."""
    people = []
    for i, skills in enumerate((["急救"], [], ["摄影"])):
        person = make_worker(name=f"志愿者{i}", phone=f"1350000000{i}")
        worker_profile_update(user=person, changes={"is_volunteer": True, "skills": skills})
        people.append(person)
    return people


@pytest.fixture
def points_rules(world, make_user):
    admin = make_user(name="超管", is_superuser=True)
    issuer_fund(region=world.xunyang, amount=10_000, actor=admin, source_key="fund:vol")
    EarningRule.objects.create(
        region=world.xunyang, event="volunteer_hour", points=10, daily_cap=200
    )
    EarningRule.objects.create(region=world.xunyang, event="station_visit", points=5, daily_cap=5)
    return SimpleNamespace(admin=admin)
