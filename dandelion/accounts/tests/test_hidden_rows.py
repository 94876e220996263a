"""People and role assignments by id: a caller who may not see a row cannot tell whether it
exists. Whose roles allow the action elsewhere get the 404 an unknown id gets; everyone else
gets 403 for any id but their own. The two answers are the same, byte for byte."""

import pytest

from dandelion.accounts.models import RoleAssignment
from dandelion.accounts.testing import client_for

pytestmark = pytest.mark.django_db

UNKNOWN = 999_999


def _same_refusal(call, status, existing, unknown=UNKNOWN):
    seen, missing = call(existing), call(unknown)
    assert seen.status_code == status, seen.content
    assert seen["Content-Type"] == "application/problem+json"
    assert seen.content == missing.content
    return seen.json()


@pytest.mark.parametrize(
    ("path", "hidden_from", "refused"),
    [
        ("/api/v1/users/{}", ["admin_l"], ["worker_l", "manager_x", "leader_x", "handler_x"]),
        (
            "/api/v1/users/{}/phone",
            ["admin_l"],
            ["worker_l", "worker_x", "dispatcher_x", "auditor_x", "manager_x"],
        ),
    ],
)
def test_a_person_outside_the_callers_scope_reads_as_no_such_person(
    world, path, hidden_from, refused
):
    for name in hidden_from:
        client = client_for(getattr(world, name))
        body = _same_refusal(
            lambda pk, client=client: client.get(path.format(pk)), 404, world.worker_x.pk
        )
        assert body["code"] == "not_found" and body["entity"] == "user"
    for name in refused:
        client = client_for(getattr(world, name))
        body = _same_refusal(
            lambda pk, client=client: client.get(path.format(pk)), 403, world.admin_x.pk
        )
        assert body["code"] == "permission_denied"


def test_one_sees_oneself_without_any_role(world):
    response = client_for(world.worker_x).get(f"/api/v1/users/{world.worker_x.pk}")
    assert response.status_code == 200 and response.json()["id"] == world.worker_x.pk


def test_an_assignment_outside_the_callers_scope_reads_as_no_such_assignment(world):
    theirs = RoleAssignment.objects.get(user=world.manager_l)
    admin = client_for(world.admin_x)
    body = _same_refusal(lambda pk: admin.delete(f"/api/v1/roles/{pk}"), 404, theirs.pk)
    assert body["entity"] == "roleassignment"
    for name in ("auditor_x", "manager_x", "worker_x"):
        client = client_for(getattr(world, name))
        _same_refusal(
            lambda pk, client=client: client.delete(f"/api/v1/roles/{pk}"), 403, theirs.pk
        )
    assert RoleAssignment.objects.filter(pk=theirs.pk).exists()


def test_granting_is_refused_before_the_person_or_scope_is_looked_up(world):
    """Someone who may grant roles nowhere learns nothing about who or what exists: the same
    403 for a real person and place as for ids nobody has."""

    def grant(client, **body):
        return client.post("/api/v1/roles", body, content_type="application/json")

    for name in ("worker_x", "auditor_x", "manager_x", "leader_x"):
        client = client_for(getattr(world, name))
        for scope in (
            {"station_id": world.station_x.pk},
            {"organisation_id": world.team_x.pk},
            {"region_code": "360403"},
        ):
            unknown_scope = {key: UNKNOWN if key != "region_code" else "999999" for key in scope}
            answers = [
                grant(client, user_id=user_id, role="auditor", **where)
                for user_id in (world.worker_x.pk, UNKNOWN)
                for where in (scope, unknown_scope)
            ]
            assert answers[0].status_code == 403, answers[0].content
            assert all(answer.content == answers[0].content for answer in answers)
