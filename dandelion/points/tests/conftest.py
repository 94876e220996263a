from types import SimpleNamespace

import pytest
from django.utils import timezone

from dandelion.accounts.testing import *  # noqa: F403
from dandelion.orgs.testing import *  # noqa: F403
from dandelion.points.models import EarningRule, Reward
from dandelion.points.services import issuer_fund


@pytest.fixture
def ledger(jiujiang, make_worker, make_station, make_user):
    """A funded issuing account for 浔阳区, rules for every event, a worker, a station with a
    reward on offer."""
    xunyang = jiujiang["xunyang"]
    admin = make_user(name="管理员", is_superuser=True, is_staff=True)
    issuer_fund(region=xunyang, amount=100_000, actor=admin, source_key="fund:test")
    rules = {
        event: EarningRule.objects.create(
            region=xunyang, event=event, points=points, daily_cap=daily
        )
        for event, points, daily in (
            ("station_visit", 5, 10),
            ("report_accepted", 20, None),
            ("volunteer_hour", 10, 100),
            ("training_attended", 15, None),
            ("need_rated", 2, 4),
        )
    }
    station = make_station(name="甘棠驿站", region=jiujiang["street"])
    now = timezone.now()
    reward = Reward.objects.create(
        title="矿泉水",
        kind="drink",
        station=station,
        region=station.region,
        city_code=station.city_code,
        price=10,
        stock=3,
        per_person_limit=2,
        valid_from=now - timezone.timedelta(days=1),
        valid_until=now + timezone.timedelta(days=30),
    )
    worker = make_worker(name="骑手甲", phone="13700000001")
    return SimpleNamespace(
        region=xunyang, admin=admin, rules=rules, station=station, reward=reward, worker=worker
    )
