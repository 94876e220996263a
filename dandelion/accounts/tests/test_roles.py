"""Staff roles with scopes: granting and revoking, within the granter's own scope, audited."""

import pytest

from dandelion.accounts.models import RoleAssignment
from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import client_for
from dandelion.core.errors import Conflict, InvalidInput
from dandelion.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def assign(client, **body):
    return client.post("/api/v1/roles", body, content_type="application/json")


def test_a_region_admin_grants_roles_inside_their_district(world, make_user):
    new = make_user(name="新站长")
    response = assign(
        client_for(world.admin_x),
        user_id=new.pk,
        role="station_manager",
        station_id=world.station_x.pk,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["scope_type"] == "station" and body["scope_name"] == "甘棠驿站"
    assert body["user"]["phone"].count("*") == 4
    new.refresh_from_db()
    assert new.is_staff
    event = AuditEvent.objects.get(action="role.grant", subject=new)
    assert event.actor == world.admin_x and event.region_code == world.xunyang.code


def test_nobody_grants_beyond_their_own_scope(world, make_user):
    new = make_user()
    admin = client_for(world.admin_x)
    assert (
        assign(
            admin, user_id=new.pk, role="station_manager", station_id=world.station_l.pk
        ).status_code
        == 403
    )
    assert (
        assign(admin, user_id=new.pk, role="region_admin", region_code="360400").status_code == 403
    )
    assert (
        assign(admin, user_id=new.pk, role="organiser", organisation_id=world.team_l.pk).status_code
        == 403
    )
    for caller in (world.auditor_x, world.manager_x, world.leader_x, world.worker_x):
        response = assign(client_for(caller), user_id=new.pk, role="auditor", region_code="360403")
        assert response.status_code == 403
    assert not new.role_assignments.exists()


def test_a_role_has_exactly_one_scope(world, make_user):
    new = make_user()
    admin = client_for(world.admin_x)
    both = assign(
        admin,
        user_id=new.pk,
        role="dispatcher",
        region_code="360403",
        station_id=world.station_x.pk,
    )
    none = assign(admin, user_id=new.pk, role="dispatcher")
    assert both.status_code == none.status_code == 422
    assert both.json()["code"] == "invalid_scope"
    with pytest.raises(InvalidInput):
        role_assign(user=new, role="dispatcher")


def test_the_same_role_twice_is_a_conflict(world):
    with pytest.raises(Conflict):
        role_assign(user=world.admin_x, role="region_admin", region=world.xunyang)
    response = assign(
        client_for(world.admin_x),
        user_id=world.dispatcher_x.pk,
        role="dispatcher",
        region_code="360403",
    )
    assert response.status_code == 409 and response.json()["code"] == "role_exists"


def test_revoking_is_scoped_and_audited(world):
    mine = RoleAssignment.objects.get(user=world.manager_x)
    theirs = RoleAssignment.objects.get(user=world.manager_l)
    admin = client_for(world.admin_x)
    # Outside the admin's district: no such assignment, as for an id nobody has.
    assert admin.delete(f"/api/v1/roles/{theirs.pk}").status_code == 404
    assert admin.delete(f"/api/v1/roles/{mine.pk}").status_code == 204
    assert not RoleAssignment.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoke", subject=world.manager_x).exists()
    assert admin.delete("/api/v1/roles/999999").status_code == 404


def test_the_role_list_holds_only_assignments_in_scope(world):
    listed = client_for(world.admin_x).get("/api/v1/roles").json()["items"]
    users = {item["user"]["id"] for item in listed}
    assert {world.admin_x.pk, world.manager_x.pk, world.handler_x.pk} <= users
    assert world.admin_l.pk not in users and world.manager_l.pk not in users
    only = client_for(world.admin_x).get("/api/v1/roles?role=station_manager").json()
    assert [i["user"]["id"] for i in only["items"]] == [world.manager_x.pk]


def test_me_lists_my_roles(world):
    roles = client_for(world.manager_x).get("/api/v1/me").json()["roles"]
    assert roles == [
        {
            "id": roles[0]["id"],
            "role": "station_manager",
            "role_label": "驿站管理员",
            "scope_type": "station",
            "scope_id": world.station_x.pk,
            "scope_name": "甘棠驿站",
        }
    ]
