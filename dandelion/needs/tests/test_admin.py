"""The routing rules' admin: region admins keep their own region's rules, dispatchers read."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.needs.services import routing_rule_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(needs_world):
    w = needs_world
    for user in (w.admin_x, w.dispatcher_x, w.worker_x):
        user.is_staff = True
        user.save()
    mine, _ = routing_rule_set(item=w.menu.mediation, region=w.xunyang, department=w.justice_x)
    theirs, _ = routing_rule_set(item=w.menu.mediation, region=w.lianxi, department=w.office_l)
    return mine, theirs


def test_region_admin_sees_and_edits_only_their_regions_rules(needs_world, rules):
    mine, theirs = rules
    client = client_for(needs_world.admin_x)
    listing = client.get("/admin/needs/routingrule/").content.decode()
    assert f"/admin/needs/routingrule/{mine.pk}/change/" in listing
    assert f"/admin/needs/routingrule/{theirs.pk}/change/" not in listing
    assert client.get(f"/admin/needs/routingrule/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/needs/routingrule/{theirs.pk}/change/").status_code in (302, 403)
    add = client.get("/admin/needs/routingrule/add/")
    assert add.status_code == 200
    assert "濂溪区 (360402)" not in add.content.decode()


def test_dispatcher_reads_but_cannot_change_rules(needs_world, rules):
    mine, _ = rules
    client = client_for(needs_world.dispatcher_x)
    assert client.get("/admin/needs/routingrule/").status_code == 200
    assert client.get("/admin/needs/routingrule/add/").status_code == 403
    response = client.post(
        f"/admin/needs/routingrule/{mine.pk}/change/",
        {"item": mine.item_id, "region": mine.region_id, "department": mine.department_id},
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.is_active


def test_workers_have_no_rules_admin(needs_world, rules):
    assert client_for(needs_world.worker_x).get("/admin/needs/routingrule/").status_code == 403
