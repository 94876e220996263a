"""Joining a team by its code; the leader approves or declines (issue 3)."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.core.models import AuditEvent
from dandelion.orgs import codes
from dandelion.orgs.models import Membership

pytestmark = pytest.mark.django_db


def join(client, code):
    return client.post("/api/v1/orgs/join", {"code": code}, content_type="application/json")


def test_anyone_may_preview_a_scanned_code(world, client):
    code = codes.code_make(organisation=world.team_x).code
    body = client.get("/api/v1/orgs/code", {"code": code}).json()
    assert body["purpose"] == "join" and body["organisation"]["name"] == "甘棠骑手志愿队"
    bad = client.get("/api/v1/orgs/code", {"code": "nonsense-code"})
    assert bad.status_code == 422 and bad.json()["code"] == "code_invalid"


def test_scanning_a_join_code_creates_a_pending_membership(world):
    worker = client_for(world.outsider)
    code = codes.code_make(organisation=world.team_x).code
    response = join(worker, code)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["organisation"]["id"] == world.team_x.pk
    again = join(worker, code)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert (
        AuditEvent.objects.filter(action="membership.request", subject=world.outsider).count() == 1
    )
    mine = worker.get("/api/v1/orgs?mine=true").json()["items"]
    assert [(o["id"], o["my_membership"]["status"]) for o in mine] == [(world.team_x.pk, "pending")]


def test_the_leader_sees_requests_and_approves(world):
    leader = client_for(world.leader_x)
    pending = leader.get(f"/api/v1/orgs/{world.team_x.pk}/members?status=pending").json()
    assert [m["id"] for m in pending["items"]] == [world.request_x.pk]
    response = leader.post(f"/api/v1/orgs/memberships/{world.request_x.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "active"
    event = AuditEvent.objects.get(action="membership.active")
    assert event.actor == world.leader_x and event.subject == world.worker_x
    again = leader.post(f"/api/v1/orgs/memberships/{world.request_x.pk}/decline")
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition" and again.json()["state"] == "active"
    assert (
        join(client_for(world.worker_x), codes.code_make(organisation=world.team_x).code).json()[
            "code"
        ]
        == "already_member"
    )


def test_the_leader_declines(world):
    leader = client_for(world.leader_x)
    response = leader.post(f"/api/v1/orgs/memberships/{world.request_x.pk}/decline")
    assert response.json()["status"] == "declined"
    # Declined people may ask again.
    code = codes.code_make(organisation=world.team_x).code
    assert join(client_for(world.worker_x), code).status_code == 201


def test_other_leaders_and_members_cannot_decide(world):
    # Those who decide requests elsewhere meet the 404 an unknown request gets; the rest 403.
    for caller, status in (
        (world.leader_l, 404),
        (world.admin_l, 404),
        (world.worker_x, 403),
        (world.manager_x, 403),
        (world.auditor_x, 403),
    ):
        response = client_for(caller).post(f"/api/v1/orgs/memberships/{world.request_x.pk}/approve")
        assert response.status_code == status, caller
    assert Membership.objects.get(pk=world.request_x.pk).status == "pending"


def test_a_district_admin_may_decide_for_teams_in_their_district(world):
    response = client_for(world.admin_x).post(
        f"/api/v1/orgs/memberships/{world.request_x.pk}/approve"
    )
    assert response.status_code == 200


def test_members_leave_or_withdraw_their_request(world):
    worker = client_for(world.worker_x)
    response = worker.post(f"/api/v1/orgs/memberships/{world.request_x.pk}/leave")
    assert response.json()["status"] == "left"
    other = client_for(world.worker_l).post(f"/api/v1/orgs/memberships/{world.request_x.pk}/leave")
    assert other.status_code == 403


def test_an_approved_leader_becomes_organiser_at_once(world, make_user):
    from dandelion.orgs.services import membership_add

    new_leader = make_user()
    client = client_for(new_leader)
    assert client.get(f"/api/v1/orgs/{world.team_x.pk}/members").status_code == 403
    membership_add(organisation=world.team_x, user=new_leader, role="leader")
    assert client_for(new_leader).get(f"/api/v1/orgs/{world.team_x.pk}/members").status_code == 200


def test_a_party_code_cannot_be_used_to_join(world):
    code = codes.code_make(organisation=world.branch_x).code
    response = join(client_for(world.outsider), code)
    assert response.status_code == 422 and response.json()["code"] == "wrong_code_purpose"


def test_my_memberships(world):
    body = client_for(world.worker_x).get("/api/v1/me/memberships").json()
    assert [m["organisation"]["name"] for m in body["items"]] == ["甘棠骑手志愿队"]
