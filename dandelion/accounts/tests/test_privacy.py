"""PIPL: masked phones, audited reads of full numbers, export and deletion of one's data."""

import json

import pytest

from dandelion.accounts.models import ApiToken, User, WorkerProfile
from dandelion.accounts.services import token_issue
from dandelion.accounts.testing import client_for, last_code
from dandelion.core.models import AuditEvent
from dandelion.orgs.models import Membership, PartyMembership

pytestmark = pytest.mark.django_db


def test_phones_are_masked_in_every_list_and_page(world):
    admin = client_for(world.admin_x)
    listed = admin.get("/api/v1/users").json()["items"]
    assert listed and all("****" in u["phone"] or u["phone"] == "" for u in listed)
    one = admin.get(f"/api/v1/users/{world.worker_x.pk}").json()
    assert one["phone"] == "138****0001"
    members = client_for(world.leader_x).get(f"/api/v1/orgs/{world.team_x.pk}/members").json()
    assert members["items"][0]["user"]["phone"] == "138****0001"
    me = client_for(world.worker_x).get("/api/v1/me").json()
    assert me["phone"] == "138****0001"
    for body in (listed, one, members, me):
        assert "13800000001" not in json.dumps(body)


def test_the_full_number_is_for_roles_that_need_it_and_each_read_is_audited(world):
    response = client_for(world.admin_x).get(f"/api/v1/users/{world.worker_x.pk}/phone")
    assert response.json() == {"user_id": world.worker_x.pk, "phone": "13800000001"}
    event = AuditEvent.objects.get(action="read", field="phone")
    assert (event.actor, event.subject, event.region_code) == (
        world.admin_x,
        world.worker_x,
        "360403001",
    )
    for caller in (world.dispatcher_x, world.leader_x, world.auditor_x, world.worker_l):
        assert client_for(caller).get(f"/api/v1/users/{world.worker_x.pk}/phone").status_code == 403
    # A region admin elsewhere: no such person, as for an id nobody has.
    assert client_for(world.admin_l).get(
        f"/api/v1/users/{world.worker_x.pk}/phone"
    ).status_code == (404)
    assert AuditEvent.objects.filter(field="phone").count() == 1


def test_export_returns_everything_held_about_me(world):
    client = client_for(world.worker_x)
    client.get(f"/api/v1/users/{world.worker_x.pk}/phone")  # a read of my own number: not logged
    client_for(world.admin_x).get(f"/api/v1/users/{world.worker_x.pk}/phone")
    token_issue(user=world.worker_x, name="phone app")
    body = client.get("/api/v1/me/export").json()
    assert body["account"]["phone"] == "13800000001"
    assert body["profile"]["occupation"] == "delivery_rider"
    assert body["memberships"][0]["organisation"] == "甘棠骑手志愿队"
    assert body["party_memberships"][0]["branch"] == "甘棠骑手党支部"
    assert body["api_tokens"][0]["name"] == "phone app"
    assert "key_hash" not in json.dumps(body)
    reads = [e for e in body["audit_events_about_me"] if e["field"] == "phone"]
    assert [r["by"] for r in reads] == ["浔阳管理员"]
    assert AuditEvent.objects.filter(action="account.export", subject=world.worker_x).exists()


def test_deleting_my_account_withdraws_consent_and_anonymises_me(world, client):
    worker = world.worker_x
    token_issue(user=worker)
    session = client_for(worker)
    assert session.delete("/api/v1/me").status_code == 204

    worker.refresh_from_db()
    assert worker.phone is None and worker.is_active is False and worker.anonymised_at
    assert worker.display_name == "已注销用户" and not worker.has_usable_password()
    assert session.get("/api/v1/me").status_code == 401
    profile = WorkerProfile.objects.get(user=worker)
    assert profile.consent_withdrawn_at and profile.real_name == "" and profile.skills == []
    # Records others rely on stay, without the person; sensitive ones are erased.
    assert Membership.objects.get(pk=world.request_x.pk).status == Membership.Status.LEFT
    assert not PartyMembership.objects.filter(user=worker).exists()
    assert not ApiToken.objects.filter(user=worker).exists()
    assert AuditEvent.objects.filter(action="account.anonymise", subject=worker).exists()
    # The number is free again: signing in with it makes a new, empty account.
    client.post("/api/v1/auth/otp", {"phone": "13800000001"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/login",
        {"phone": "13800000001", "code": last_code("13800000001")},
        content_type="application/json",
    )
    assert response.json()["user"]["id"] != worker.pk
    assert response.json()["user"]["registered"] is False


def test_deleting_a_staff_account_revokes_its_roles_audited(world):
    assert client_for(world.admin_x).delete("/api/v1/me").status_code == 204
    assert not world.admin_x.role_assignments.exists()
    assert AuditEvent.objects.filter(action="role.revoke", subject=world.admin_x).exists()


def test_a_superuser_cannot_delete_themself_here(make_user):
    root = make_user(is_superuser=True, is_staff=True)
    response = client_for(root).delete("/api/v1/me")
    assert response.status_code == 409 and response.json()["code"] == "superuser"
    assert User.objects.get(pk=root.pk).is_active
