"""Admin pages for people, organisations and role assignments respect the same scopes."""

import pytest

from dandelion.accounts.models import RoleAssignment
from dandelion.accounts.testing import client_for
from dandelion.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def changelist_names(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_a_district_admin_sees_their_district_in_every_list(world):
    admin = client_for(world.admin_x)
    orgs = changelist_names(admin, "/admin/orgs/organisation/")
    assert "甘棠骑手志愿队" in orgs and "十里志愿队" not in orgs
    people = changelist_names(admin, "/admin/accounts/user/")
    assert "甘棠骑手" in people and "十里快递员" not in people
    roles = admin.get("/admin/accounts/roleassignment/").context["cl"].result_list
    assert world.manager_x in {r.user for r in roles}
    assert world.manager_l not in {r.user for r in roles}


def test_rows_outside_the_scope_cannot_be_opened(world):
    admin = client_for(world.admin_x)
    assert admin.get(f"/admin/orgs/organisation/{world.team_x.pk}/change/").status_code == 200
    outside = admin.get(f"/admin/orgs/organisation/{world.team_l.pk}/change/")
    assert outside.status_code == 302  # "does not exist" for this admin
    assert admin.get(f"/admin/accounts/user/{world.worker_l.pk}/change/").status_code == 302


def test_phones_are_masked_and_not_searchable_in_the_admin(world):
    admin = client_for(world.admin_x)
    page = admin.get("/admin/accounts/user/").content.decode()
    assert "138****0001" in page and "13800000001" not in page
    found = admin.get("/admin/accounts/user/?q=13800000001").context["cl"].result_list
    assert list(found) == []
    detail = admin.get(f"/admin/accounts/user/{world.worker_x.pk}/change/").content.decode()
    assert "13800000001" not in detail


def test_the_admin_grants_roles_only_inside_the_scope_and_audits(world, make_user):
    admin = client_for(world.admin_x)
    new = make_user(name="新调度")
    form = admin.get("/admin/accounts/roleassignment/add/").context["adminform"].form
    assert set(form.fields["station"].queryset) == {world.station_x}
    outside = admin.post(
        "/admin/accounts/roleassignment/add/",
        {"user": new.pk, "role": "station_manager", "station": world.station_l.pk},
    )
    assert outside.status_code == 200 and not new.role_assignments.exists()
    inside = admin.post(
        "/admin/accounts/roleassignment/add/",
        {"user": new.pk, "role": "station_manager", "station": world.station_x.pk},
    )
    assert inside.status_code == 302
    assert AuditEvent.objects.filter(action="role.grant", subject=new, actor=world.admin_x).exists()


def test_revoking_in_the_admin_is_audited(world):
    assignment = RoleAssignment.objects.get(user=world.manager_x)
    admin = client_for(world.admin_x)
    response = admin.post(
        f"/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="role.revoke", subject=world.manager_x).exists()


def test_a_station_manager_has_no_people_or_role_pages(world):
    manager = client_for(world.manager_x)
    assert manager.get("/admin/accounts/user/").status_code == 403
    assert manager.get("/admin/accounts/roleassignment/").status_code == 403
    assert manager.get("/admin/orgs/partymembership/").status_code == 403


def test_party_membership_pages_are_for_party_work_and_audited(world):
    assert client_for(world.admin_x).get("/admin/orgs/partymembership/").status_code == 403
    officer = client_for(world.party_officer_x)
    shown = changelist_names(officer, "/admin/orgs/partymembership/")
    assert shown == {str(world.party_x)}
    assert (
        AuditEvent.objects.filter(
            action="read", field="party_membership", actor=world.party_officer_x
        ).count()
        == 1
    )
    officer.get(f"/admin/orgs/partymembership/{world.party_x.pk}/change/")
    assert AuditEvent.objects.filter(actor=world.party_officer_x, action="read").count() == 2


def test_the_secretary_confirms_in_the_admin(world):
    secretary = client_for(world.secretary_x)
    response = secretary.post(
        "/admin/orgs/partymembership/",
        {"action": "confirm", "_selected_action": [world.party_x.pk]},
    )
    assert response.status_code == 302
    world.party_x.refresh_from_db()
    assert world.party_x.state == "confirmed"


def test_a_leader_approves_requests_in_the_admin(world):
    leader = client_for(world.leader_x)
    names = changelist_names(leader, "/admin/orgs/membership/")
    assert str(world.request_x) in names and str(world.request_l) not in names
    leader.post(
        "/admin/orgs/membership/",
        {"action": "approve", "_selected_action": [world.request_x.pk, world.request_l.pk]},
    )
    world.request_x.refresh_from_db()
    world.request_l.refresh_from_db()
    assert (world.request_x.status, world.request_l.status) == ("active", "pending")


def test_the_region_admin_does_not_see_who_sits_in_party_branches(world):
    names = changelist_names(client_for(world.admin_x), "/admin/orgs/membership/")
    assert str(world.request_x) in names
    assert not any("党支部" in name or "党委" in name for name in names)


def test_an_organisation_created_in_the_admin_gets_its_path(world):
    admin = client_for(world.admin_x)
    response = admin.post(
        "/admin/orgs/organisation/add/",
        {
            "name": "甘棠二队",
            "kind": "volunteer_team",
            "region": world.street.pk,
            "parent": world.team_x.pk,
            "description": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from dandelion.orgs.models import Organisation

    created = Organisation.objects.get(name="甘棠二队")
    assert created.path == f"{world.team_x.path}{created.pk}/"
    refused = admin.post(
        "/admin/orgs/organisation/add/",
        {
            "name": "越界队",
            "kind": "volunteer_team",
            "region": world.street_l.pk,
            "description": "",
        },
    )
    assert refused.status_code == 200 and not Organisation.objects.filter(name="越界队").exists()
