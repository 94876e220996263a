"""Party members return to the team (归队): declare by the branch's code, the secretary confirms;
visible only to the branch, its parents' secretaries and party-work officers; every read audited."""

import pytest

from dandelion.accounts.models import User
from dandelion.accounts.testing import client_for
from dandelion.core.models import AuditEvent
from dandelion.orgs import codes
from dandelion.orgs.models import PartyMembership
from dandelion.orgs.services import party_membership_confirm, party_membership_declare

pytestmark = pytest.mark.django_db


def declare(client, code, **fields):
    body = {"code": code, "status": "full", "home_branch": "", "is_mobile": False, **fields}
    return client.post("/api/v1/party/return", body, content_type="application/json")


def party_reads():
    return AuditEvent.objects.filter(action="read", field="party_membership")


def test_a_worker_declares_by_scanning_the_branch_code(world):
    worker = client_for(world.outsider)
    code = client_for(world.secretary_x).get(f"/api/v1/orgs/{world.branch_x.pk}/code").json()
    assert code["purpose"] == "return"
    response = declare(worker, code["code"], status="probationary", home_branch="", is_mobile=True)
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["status_label"], body["is_mobile"]) == ("pending", "预备党员", True)
    assert body["branch"]["id"] == world.branch_x.pk
    event = AuditEvent.objects.get(action="party_membership.declare", subject=world.outsider)
    assert event.category == "party" and event.subject == world.outsider
    mine = worker.get("/api/v1/me/party-membership").json()
    assert mine["id"] == body["id"]
    assert party_reads().count() == 0  # one's own declaration is not an audited read


def test_one_open_declaration_at_a_time(world):
    code = codes.code_make(organisation=world.branch_l).code
    response = declare(client_for(world.worker_x), code)
    assert response.status_code == 409 and response.json()["state"] == "pending"


def test_a_join_code_is_not_a_return_to_team_code(world):
    code = codes.code_make(organisation=world.team_x).code
    response = declare(client_for(world.outsider), code)
    assert response.status_code == 422 and response.json()["code"] == "wrong_code_purpose"


def test_the_branch_secretary_confirms(world):
    secretary = client_for(world.secretary_x)
    response = secretary.post(f"/api/v1/party/memberships/{world.party_x.pk}/confirm")
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    assert AuditEvent.objects.filter(
        action="party_membership.confirmed", actor=world.secretary_x
    ).exists()
    again = secretary.post(f"/api/v1/party/memberships/{world.party_x.pk}/decline")
    assert again.status_code == 409


def test_only_party_work_roles_of_the_branch_or_above_may_confirm(world):
    # Another branch's secretary confirms somewhere, so this row is as unknown to them (404).
    for caller, status in (
        (world.secretary_l, 404),
        (world.admin_x, 403),
        (world.leader_x, 403),
        (world.manager_x, 403),
        (world.auditor_x, 403),
        (world.worker_x, 403),
    ):
        response = client_for(caller).post(f"/api/v1/party/memberships/{world.party_x.pk}/confirm")
        assert response.status_code == status, caller
    committee = client_for(world.committee_secretary_x)
    response = committee.post(f"/api/v1/party/memberships/{world.party_x.pk}/decline")
    assert response.json()["state"] == "declined"


VISIBILITY = {
    "secretary_x": {"party_x"},
    "committee_secretary_x": {"party_x"},
    "party_officer_x": {"party_x"},
    "secretary_l": {"party_l"},
    "admin_x": set(),
    "admin_l": set(),
    "dispatcher_x": set(),
    "handler_x": set(),
    "manager_x": set(),
    "auditor_x": set(),
    "leader_x": set(),
    "worker_x": {"party_x"},
    "outsider": set(),
}


PARTY_ROLES = {"secretary_x", "committee_secretary_x", "party_officer_x", "secretary_l"}


@pytest.mark.parametrize(("person", "sees"), VISIBILITY.items())
def test_party_membership_is_visible_exactly_as_the_issue_says(world, person, sees):
    client = client_for(getattr(world, person))
    listed = client.get("/api/v1/party/memberships").json()["items"]
    expected_ids = {getattr(world, name).pk for name in sees}
    assert {item["id"] for item in listed} == expected_ids
    # A declaration outside one's scope is refused as an unknown one is: 404 for those whose
    # roles see declarations somewhere, 403 for everyone else.
    refused = 404 if person in PARTY_ROLES else 403
    for name in ("party_x", "party_l"):
        response = client.get(f"/api/v1/party/memberships/{getattr(world, name).pk}")
        assert response.status_code == (200 if name in sees else refused)


def test_every_read_of_someone_elses_declaration_is_audited(world):
    officer = client_for(world.party_officer_x)
    officer.get("/api/v1/party/memberships")
    officer.get(f"/api/v1/party/memberships/{world.party_x.pk}")
    reads = list(party_reads().order_by("id"))
    assert len(reads) == 2
    assert all(
        (e.actor, e.subject, e.category, e.target_id)
        == (world.party_officer_x, world.worker_x, "party", str(world.party_x.pk))
        for e in reads
    )
    refused = client_for(world.admin_x).get(f"/api/v1/party/memberships/{world.party_x.pk}")
    assert refused.status_code == 403 and party_reads().count() == 2


def test_members_of_a_party_branch_are_party_membership_too(world):
    # The region admin may see a team's members but not who sits in a party branch.
    admin = client_for(world.admin_x)
    assert admin.get(f"/api/v1/orgs/{world.team_x.pk}/members").status_code == 200
    assert admin.get(f"/api/v1/orgs/{world.branch_x.pk}/members").status_code == 403
    committee = client_for(world.committee_secretary_x)
    members = committee.get(f"/api/v1/orgs/{world.branch_x.pk}/members").json()["items"]
    assert [m["user"]["id"] for m in members] == [world.secretary_x.pk]
    assert party_reads().filter(actor=world.committee_secretary_x).count() == 1


def test_audit_log_does_not_say_whose_party_membership_was_read(world):
    client_for(world.party_officer_x).get(f"/api/v1/party/memberships/{world.party_x.pk}")
    events = client_for(world.auditor_x).get("/api/v1/audit-events?action=read").json()["items"]
    party = [e for e in events if e["category"] == "party"]
    assert party and all(e["subject"] is None and e["target_id"] == "" for e in party)
    by_subject = (
        client_for(world.auditor_x)
        .get(f"/api/v1/audit-events?subject_id={world.worker_x.pk}")
        .json()["items"]
    )
    assert all(e["category"] != "party" for e in by_subject)


def test_programme_counts(world):
    party_membership_confirm(party_membership=world.party_x, actor=world.secretary_x)
    city = client_for(world.admin_x).get("/api/v1/party/stats").json()
    assert city == {
        "members_identified": 1,
        "mobile_members_reregistered": 1,
        "pending": 0,
        "by_status": {"full": 1, "probationary": 0, "activist": 0, "applicant": 0},
        "branches": 1,
        "branches_with_station": 1,
        "branches_per_station": [
            {"station_id": world.station_x.pk, "station_name": "甘棠驿站", "branches": 1}
        ],
    }
    lianxi = client_for(world.admin_l).get("/api/v1/party/stats").json()
    assert lianxi["members_identified"] == 1 and lianxi["by_status"]["probationary"] == 1
    assert lianxi["mobile_members_reregistered"] == 0
    assert client_for(world.manager_x).get("/api/v1/party/stats").status_code == 403
    assert client_for(world.worker_x).get("/api/v1/party/stats").status_code == 403


def test_the_party_list_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(5):
        user = User.objects.create(username=f"pm{n}")
        party_membership_declare(user=user, branch=world.branch_x, status="full")
    officer = client_for(world.party_officer_x)
    with django_assert_max_num_queries(8):
        body = officer.get("/api/v1/party/memberships").json()
    assert body["count"] == 6
    assert PartyMembership.objects.count() == 7
