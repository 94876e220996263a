"""Every list of the points app, API and console, reads a fixed number of queries however many
rows it shows: measured with one row, then with five."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.points.models import Reward
from dandelion.points.services import award_by_rule, redemption_fulfil, reward_redeem

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _reward(ledger, station, n: int) -> Reward:
    return Reward.objects.create(
        title=f"商品{n}",
        kind="other",
        station=station,
        region=station.region,
        city_code="360400",
        price=1,
        stock=50,
        per_person_limit=50,
        valid_from=ledger.reward.valid_from,
        valid_until=ledger.reward.valid_until,
    )


def _fund(user, key: str) -> None:
    award_by_rule(user=user, event="report_accepted", region_code="360403", source_key=key)


def _redeem(ledger, user, reward, key: str):
    redemption, _created = reward_redeem(reward_id=reward.pk, user=user, idempotency_key=key)
    return redemption


def test_me_points_history(ledger):
    client = client_for(ledger.worker)
    _fund(ledger.worker, "q0")
    one = _queries(client, "/api/v1/me/points")
    for i in range(1, 5):
        _fund(ledger.worker, f"q{i}")
    assert _queries(client, "/api/v1/me/points") == one <= 8


def test_rewards_list(ledger):
    client = client_for(None)
    one = _queries(client, "/api/v1/rewards")
    for i in range(4):
        _reward(ledger, ledger.station, i)
    assert _queries(client, "/api/v1/rewards") == one <= 3


def test_my_redemptions(ledger):
    _fund(ledger.worker, "f")
    reward = _reward(ledger, ledger.station, 0)
    client = client_for(ledger.worker)
    _redeem(ledger, ledger.worker, reward, "r0")
    one = _queries(client, "/api/v1/me/redemptions")
    for i in range(1, 5):
        _redeem(ledger, ledger.worker, _reward(ledger, ledger.station, i), f"r{i}")
    assert _queries(client, "/api/v1/me/redemptions") == one <= 4


def test_console_rewards_page(ledger, world):
    manager = client_for(world.manager_x)
    _reward(ledger, world.station_x, 0)
    one = _queries(manager, "/console/points/rewards/")
    for i in range(1, 5):
        _reward(ledger, world.station_x, i)
    assert _queries(manager, "/console/points/rewards/") == one


def test_console_fulfil_page_with_recent_codes(ledger, world):
    _fund(ledger.worker, "f")
    reward = _reward(ledger, world.station_x, 0)
    manager = client_for(world.manager_x)
    first = _redeem(ledger, ledger.worker, reward, "c0")
    redemption_fulfil(code=first.code, actor=world.manager_x)
    one = _queries(manager, "/console/points/fulfil/")
    for i in range(1, 5):
        done = _redeem(ledger, ledger.worker, reward, f"c{i}")
        redemption_fulfil(code=done.code, actor=world.manager_x)
    assert _queries(manager, "/console/points/fulfil/") == one


def test_h5_lists(ledger):
    _fund(ledger.worker, "f")
    client = client_for(ledger.worker)
    _redeem(ledger, ledger.worker, _reward(ledger, ledger.station, 0), "h0")
    pages = ("/points/", "/rewards/", "/rewards/codes/")
    one = [_queries(client, url) for url in pages]
    for i in range(1, 5):
        _fund(ledger.worker, f"h-fund{i}")
        _redeem(ledger, ledger.worker, _reward(ledger, ledger.station, i), f"h{i}")
    assert [_queries(client, url) for url in pages] == one
