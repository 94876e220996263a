"""List endpoints run a fixed number of queries, however many rows they page through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import client_for
from dandelion.orgs.services import membership_request, organisation_create

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("caller", "path"),
    [
        ("admin_x", "/api/v1/users"),
        ("admin_x", "/api/v1/roles"),
        ("auditor_x", "/api/v1/audit-events"),
        ("leader_x", "/api/v1/orgs/{team}/members"),
        ("worker_x", "/api/v1/orgs"),
    ],
)
def test_lists_cost_the_same_for_more_rows(world, make_worker, caller, path):
    path = path.format(team=world.team_x.pk)
    client = client_for(getattr(world, caller))
    before = queries(client, path)
    for _ in range(6):
        worker = make_worker()
        role_assign(user=worker, role="dispatcher", region=world.street)
        membership_request(organisation=world.team_x, user=worker)
        team = organisation_create(name="队", kind="volunteer_team", region=world.street)
        membership_request(organisation=team, user=world.worker_x)
    assert queries(client, path) == before
