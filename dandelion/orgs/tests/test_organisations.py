"""The organisation tree and its signed, expiring join codes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput
from dandelion.orgs import codes
from dandelion.orgs.models import Organisation
from dandelion.orgs.services import organisation_create, organisation_update

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree(world):
    assert world.committee_x.path == f"/{world.committee_x.pk}/"
    assert world.branch_x.path == f"{world.committee_x.path}{world.branch_x.pk}/"
    assert world.branch_x.city_code == "360400"


def test_moving_an_organisation_moves_its_subtree(world):
    group = organisation_create(
        name="小组", kind=Organisation.Kind.PARTY_BRANCH, region=world.street, parent=world.branch_x
    )
    organisation_update(organisation=world.branch_x, parent=None)
    group.refresh_from_db()
    assert group.path == f"/{world.branch_x.pk}/{group.pk}/"


def test_an_organisation_cannot_sit_under_itself(world):
    with pytest.raises(InvalidInput):
        organisation_update(organisation=world.committee_x, parent=world.branch_x)


def test_codes_round_trip_and_say_their_purpose(world):
    join = codes.code_make(organisation=world.team_x)
    back = codes.code_make(organisation=world.branch_x)
    assert codes.code_read(join.code) == (codes.JOIN, world.team_x)
    assert codes.code_read(back.code) == (codes.RETURN, world.branch_x)
    with pytest.raises(Conflict):
        codes.code_make(organisation=world.committee_x)


def test_a_tampered_code_is_refused(world):
    code = codes.code_make(organisation=world.team_x).code
    forged = code.replace(f"join.{world.team_x.pk}.", f"join.{world.team_l.pk}.")
    with pytest.raises(InvalidInput) as caught:
        codes.code_read(forged)
    assert caught.value.code == "code_invalid"


def test_a_code_expires(world, settings):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        issued = codes.code_make(organisation=world.team_x)
    assert issued.expires_at == now + timedelta(days=settings.ORG_CODE_MAX_AGE_DAYS)
    later = now + timedelta(days=settings.ORG_CODE_MAX_AGE_DAYS, seconds=1)
    with time_machine.travel(later), pytest.raises(InvalidInput) as caught:
        codes.code_read(issued.code)
    assert caught.value.code == "code_expired"


def test_rotating_invalidates_earlier_codes(world, client):
    from dandelion.accounts.testing import client_for

    old = codes.code_make(organisation=world.team_x).code
    leader = client_for(world.leader_x)
    rotated = leader.post(f"/api/v1/orgs/{world.team_x.pk}/code/rotate").json()
    with pytest.raises(InvalidInput) as caught:
        codes.code_read(old)
    assert caught.value.code == "code_revoked"
    assert codes.code_read(rotated["code"])[1] == world.team_x


def test_the_leader_gets_the_code_and_its_qr(world, settings):
    from dandelion.accounts.testing import client_for

    settings.SITE_URL = "https://dandelion.jiujiang.example"
    leader = client_for(world.leader_x)
    body = leader.get(f"/api/v1/orgs/{world.team_x.pk}/code").json()
    assert body["purpose"] == "join" and body["organisation"]["id"] == world.team_x.pk
    assert body["url"].startswith("https://dandelion.jiujiang.example/join/?code=")
    svg = leader.get(f"/api/v1/orgs/{world.team_x.pk}/code.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") or b"<svg" in svg.content[:200]


def test_orgs_list_filters_and_pages(world):
    from dandelion.accounts.testing import client_for

    admin = client_for(world.admin_x)
    teams = admin.get("/api/v1/orgs?kind=volunteer_team").json()
    assert [o["name"] for o in teams["items"]] == ["甘棠骑手志愿队"]
    street = admin.get("/api/v1/orgs?region=360403001").json()
    assert {o["name"] for o in street["items"]} == {"甘棠骑手党支部", "甘棠骑手志愿队"}
    page = admin.get("/api/v1/orgs?page_size=2").json()
    assert page["count"] == 4 and len(page["items"]) == 2
    detail = admin.get(f"/api/v1/orgs/{world.branch_x.pk}").json()
    assert detail["station"] == {"id": world.station_x.pk, "name": "甘棠驿站"}
    assert detail["parent_id"] == world.committee_x.pk


def test_orgs_list_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from dandelion.accounts.testing import client_for

    admin = client_for(world.admin_x)
    with django_assert_max_num_queries(8):
        admin.get("/api/v1/orgs")
