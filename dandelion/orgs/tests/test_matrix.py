"""Role × endpoint: every endpoint refuses callers outside its scope (403; 401 when signed out)
and its lists hold only rows inside the caller's scope.

Each row names the people (attributes of the `world` fixture) who may call the endpoint on a
row of 浔阳区; everyone else must be refused. Where a row's existence is itself private, those
whose roles allow the action elsewhere get the 404 an unknown row gets (`hidden`); the rest 403.
Each call runs in a transaction that is rolled back, so writes by one caller do not change what
the next one meets.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction

from dandelion.accounts.models import RoleAssignment, User
from dandelion.accounts.testing import client_for

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin_x",
    "admin_l",
    "party_officer_x",
    "dispatcher_x",
    "handler_x",
    "manager_x",
    "manager_l",
    "auditor_x",
    "leader_x",
    "leader_l",
    "secretary_x",
    "secretary_l",
    "committee_secretary_x",
    "worker_x",
    "worker_l",
    "outsider",
]
PARTY_STATS = {
    "admin_x",
    "admin_l",
    "party_officer_x",
    "auditor_x",
    "secretary_x",
    "secretary_l",
    "committee_secretary_x",
}


# Those whose roles see organisations elsewhere, for whom team_x is as unknown as a missing id.
TEAM_HIDDEN = {
    "admin_l",
    "committee_secretary_x",
    "handler_x",
    "leader_l",
    "manager_l",
    "manager_x",
    "secretary_l",
    "secretary_x",
}
BRANCH_HIDDEN = {"admin_l", "handler_x", "leader_l", "leader_x", "manager_l", "secretary_l"}
# Those who approve requests or confirm party members elsewhere.
DECIDERS_ELSEWHERE = {
    "admin_l",
    "committee_secretary_x",
    "leader_l",
    "party_officer_x",
    "secretary_l",
    "secretary_x",
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted with the world's attributes
    allowed: frozenset
    body: dict | None = None
    hidden: frozenset = frozenset()

    def call(self, client, world):
        path = self.path.format(w=world, **_ids(world))
        if self.method == "get":
            return client.get(path)
        if self.method == "delete":
            return client.delete(path)
        return getattr(client, self.method)(
            path,
            self.body(world) if callable(self.body) else (self.body or {}),
            content_type="application/json",
        )


def _ids(world):
    return {"manager_x_role": RoleAssignment.objects.get(user=world.manager_x).pk}


def E(method, path, allowed, body=None, hidden=()):
    return Endpoint(method, path, frozenset(allowed), body, frozenset(hidden))


ENDPOINTS = {
    "users_list": E("get", "/api/v1/users", {"admin_x", "admin_l", "dispatcher_x", "auditor_x"}),
    "users_get": E(
        "get",
        "/api/v1/users/{w.worker_x.pk}",
        {"admin_x", "dispatcher_x", "auditor_x", "worker_x"},
        hidden={"admin_l"},
    ),
    "users_phone": E("get", "/api/v1/users/{w.worker_x.pk}/phone", {"admin_x"}, hidden={"admin_l"}),
    "roles_list": E("get", "/api/v1/roles", {"admin_x", "admin_l", "auditor_x"}),
    "roles_assign": E(
        "post",
        "/api/v1/roles",
        {"admin_x"},
        body=lambda w: {"user_id": w.outsider.pk, "role": "auditor", "region_code": "360403001"},
    ),
    "roles_revoke": E("delete", "/api/v1/roles/{manager_x_role}", {"admin_x"}, hidden={"admin_l"}),
    "audit_events_list": E("get", "/api/v1/audit-events", {"auditor_x"}),
    "orgs_get": E(
        "get",
        "/api/v1/orgs/{w.team_x.pk}",
        {"admin_x", "party_officer_x", "dispatcher_x", "auditor_x", "leader_x", "worker_x"},
        hidden=TEAM_HIDDEN,
    ),
    "orgs_members": E(
        "get",
        "/api/v1/orgs/{w.team_x.pk}/members",
        {"admin_x", "auditor_x", "leader_x"},
        hidden=TEAM_HIDDEN,
    ),
    "orgs_party_branch_members": E(
        "get",
        "/api/v1/orgs/{w.branch_x.pk}/members",
        {"party_officer_x", "secretary_x", "committee_secretary_x"},
        hidden=BRANCH_HIDDEN,
    ),
    "orgs_code": E(
        "get", "/api/v1/orgs/{w.team_x.pk}/code", {"admin_x", "leader_x"}, hidden=TEAM_HIDDEN
    ),
    "orgs_code_svg": E(
        "get", "/api/v1/orgs/{w.team_x.pk}/code.svg", {"admin_x", "leader_x"}, hidden=TEAM_HIDDEN
    ),
    "orgs_code_rotate": E(
        "post",
        "/api/v1/orgs/{w.team_x.pk}/code/rotate",
        {"admin_x", "leader_x"},
        hidden=TEAM_HIDDEN,
    ),
    "orgs_branch_code": E(
        "get",
        "/api/v1/orgs/{w.branch_x.pk}/code",
        {"admin_x", "secretary_x", "committee_secretary_x"},
        hidden=BRANCH_HIDDEN,
    ),
    "orgs_membership_approve": E(
        "post",
        "/api/v1/orgs/memberships/{w.request_x.pk}/approve",
        {"admin_x", "leader_x"},
        hidden=DECIDERS_ELSEWHERE,
    ),
    "orgs_membership_decline": E(
        "post",
        "/api/v1/orgs/memberships/{w.request_x.pk}/decline",
        {"admin_x", "leader_x"},
        hidden=DECIDERS_ELSEWHERE,
    ),
    "orgs_membership_leave": E(
        "post", "/api/v1/orgs/memberships/{w.request_x.pk}/leave", {"worker_x"}
    ),
    "party_memberships_get": E(
        "get",
        "/api/v1/party/memberships/{w.party_x.pk}",
        {"party_officer_x", "secretary_x", "committee_secretary_x", "worker_x"},
        hidden={"secretary_l"},
    ),
    "party_memberships_confirm": E(
        "post",
        "/api/v1/party/memberships/{w.party_x.pk}/confirm",
        {"party_officer_x", "secretary_x", "committee_secretary_x"},
        hidden={"secretary_l"},
    ),
    "party_memberships_decline": E(
        "post",
        "/api/v1/party/memberships/{w.party_x.pk}/decline",
        {"party_officer_x", "secretary_x", "committee_secretary_x"},
        hidden={"secretary_l"},
    ),
    "party_stats": E("get", "/api/v1/party/stats", PARTY_STATS),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_admits_exactly_its_roles(world, make_user, name):
    endpoint = ENDPOINTS[name]
    root = make_user(is_superuser=True, is_staff=True)
    outcomes = {}
    for person in [*PEOPLE, "root", "anonymous"]:
        special = {"root": root, "anonymous": None}
        user = special[person] if person in special else getattr(world, person)
        with transaction.atomic():
            response = endpoint.call(client_for(user), world)
            transaction.set_rollback(True)
        outcomes[person] = response.status_code
    expected = {
        person: (
            401
            if person == "anonymous"
            else "ok"
            if person in endpoint.allowed or person == "root"
            else 404
            if person in endpoint.hidden
            else 403
        )
        for person in outcomes
    }
    actual = {person: "ok" if 200 <= code < 300 else code for person, code in outcomes.items()}
    assert actual == expected


def test_refusals_speak_problem_json(world):
    response = client_for(world.outsider).get(f"/api/v1/orgs/{world.team_x.pk}")
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 403 and body["code"] == "permission_denied"
    assert body["action"] == "org.view"


UNKNOWN = [
    ("admin_x", "get", "/api/v1/orgs/999999", "organisation"),
    ("admin_x", "get", "/api/v1/users/999999", "user"),
    ("party_officer_x", "get", "/api/v1/party/memberships/999999", "partymembership"),
    ("admin_x", "post", "/api/v1/orgs/memberships/999999/approve", "membership"),
]


@pytest.mark.parametrize(("person", "method", "path", "entity"), UNKNOWN)
def test_unknown_rows_are_404_not_403(world, person, method, path, entity):
    response = getattr(client_for(getattr(world, person)), method)(path)
    assert response.status_code == 404, path
    assert (response.json()["code"], response.json()["entity"]) == ("not_found", entity)


@pytest.mark.parametrize(
    ("person", "method", "path"),
    [
        ("admin_l", "get", "/api/v1/orgs/{id}"),
        ("leader_l", "get", "/api/v1/orgs/{id}/code"),
        ("secretary_l", "get", "/api/v1/party/memberships/{id}"),
        ("leader_l", "post", "/api/v1/orgs/memberships/{id}/approve"),
        ("party_officer_x", "post", "/api/v1/orgs/memberships/{id}/decline"),
    ],
)
def test_a_row_outside_the_callers_scope_is_refused_as_an_unknown_one(world, person, method, path):
    """A caller whose role allows the action elsewhere learns nothing from the id: the body is
    the one an id that exists nowhere gets."""
    row = {
        "/api/v1/orgs/{id}": world.team_x,
        "/api/v1/orgs/{id}/code": world.team_x,
        "/api/v1/party/memberships/{id}": world.party_x,
        "/api/v1/orgs/memberships/{id}/approve": world.request_x,
        "/api/v1/orgs/memberships/{id}/decline": world.request_x,
    }[path]
    client = client_for(getattr(world, person))
    existing = getattr(client, method)(path.format(id=row.pk))
    unknown = getattr(client, method)(path.format(id=999999))
    assert existing.status_code == unknown.status_code == 404
    assert existing.json() == unknown.json()
    assert existing.json()["code"] == "not_found"


def _ids_listed(client, path):
    return {item["id"] for item in client.get(path).json()["items"]}


def test_lists_hold_only_rows_inside_the_callers_scope(world):
    x_orgs = {world.committee_x.pk, world.branch_x.pk, world.team_x.pk, world.office_x.pk}
    l_orgs = {world.branch_l.pk, world.team_l.pk}
    assert _ids_listed(client_for(world.admin_x), "/api/v1/orgs") == x_orgs
    assert _ids_listed(client_for(world.admin_l), "/api/v1/orgs") == l_orgs
    assert _ids_listed(client_for(world.manager_x), "/api/v1/orgs") == {world.branch_x.pk}
    assert _ids_listed(client_for(world.handler_x), "/api/v1/orgs") == {world.office_x.pk}
    assert _ids_listed(client_for(world.leader_x), "/api/v1/orgs") == {world.team_x.pk}
    assert _ids_listed(client_for(world.committee_secretary_x), "/api/v1/orgs") == {
        world.committee_x.pk,
        world.branch_x.pk,
    }
    assert _ids_listed(client_for(world.worker_x), "/api/v1/orgs") == {world.team_x.pk}
    assert _ids_listed(client_for(world.outsider), "/api/v1/orgs") == set()

    x_people = _ids_listed(client_for(world.admin_x), "/api/v1/users")
    assert {world.worker_x.pk, world.manager_x.pk, world.handler_x.pk} <= x_people
    assert not x_people & {world.worker_l.pk, world.admin_l.pk, world.manager_l.pk}
    assert world.outsider.pk not in x_people  # not registered: works nowhere yet

    x_roles = {
        RoleAssignment.objects.get(pk=i).user_id
        for i in _ids_listed(client_for(world.auditor_x), "/api/v1/roles")
    }
    assert world.admin_l.pk not in x_roles and world.manager_l.pk not in x_roles
    assert world.manager_x.pk in x_roles

    members = _ids_listed(client_for(world.leader_x), f"/api/v1/orgs/{world.team_x.pk}/members")
    assert world.request_l.pk not in members and world.request_x.pk in members


def test_the_audit_log_is_scoped_to_the_auditors_region(world, make_user):
    from dandelion.accounts.services import role_assign

    auditor_l = make_user()
    role_assign(user=auditor_l, role="auditor", region=world.lianxi)
    regions = {
        e["region_code"][:6]
        for e in client_for(auditor_l).get("/api/v1/audit-events?page_size=100").json()["items"]
    }
    assert regions == {"360402"}


def test_a_station_manager_edits_their_station_and_nothing_else(world):
    from dandelion.core.permissions import can
    from dandelion.stations.models import Station

    stations = Station.objects.all()
    assert [s for s in stations if can(world.manager_x, "station.change", s)] == [world.station_x]
    assert not any(
        can(world.manager_x, action, world.team_x) for action in ("org.change", "org.view")
    )
    assert User.objects.get(pk=world.manager_x.pk).is_staff
