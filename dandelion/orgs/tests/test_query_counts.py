"""The orgs list endpoints run a fixed number of queries, however many rows they page through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.orgs.services import (
    membership_request,
    organisation_create,
    party_membership_declare,
)

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("caller", "path"),
    [
        ("worker_x", "/api/v1/orgs"),
        ("admin_x", "/api/v1/orgs?kind=volunteer_team&region=360403"),
        ("leader_x", "/api/v1/orgs/{team}/members"),
        ("secretary_x", "/api/v1/orgs/{branch}/members"),
        ("worker_x", "/api/v1/me/memberships"),
        ("party_officer_x", "/api/v1/party/memberships"),
        ("secretary_x", "/api/v1/party/memberships?state=pending"),
    ],
)
def test_lists_cost_the_same_for_more_rows(world, make_worker, caller, path):
    def add_rows(count: int) -> None:
        for _ in range(count):
            worker = make_worker()
            membership_request(organisation=world.team_x, user=worker)
            membership_request(organisation=world.branch_x, user=worker)
            party_membership_declare(user=worker, branch=world.branch_x, status="full")
            team = organisation_create(name="队", kind="volunteer_team", region=world.street)
            membership_request(organisation=team, user=world.worker_x)

    path = path.format(team=world.team_x.pk, branch=world.branch_x.pk)
    client = client_for(getattr(world, caller))
    add_rows(1)
    before = queries(client, path)
    add_rows(5)
    assert queries(client, path) == before
