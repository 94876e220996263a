"""A small world of organisations and staff for permission tests: two districts of Jiujiang,
each with a station, a volunteer team and a party branch, and one person per role and scope.

Import the fixtures into an app's tests/conftest.py together with accounts' ones (`world`
uses `make_user` and `make_worker`).
"""

from types import SimpleNamespace

import pytest

from dandelion.accounts.services import role_assign
from dandelion.regions.services import region_upsert

from .models import Membership, Organisation
from .services import (
    membership_add,
    membership_request,
    organisation_create,
    party_membership_confirm,
    party_membership_declare,
)

__all__ = ["world"]

K = Organisation.Kind


@pytest.fixture
def world(jiujiang, make_station, make_user, make_worker):
    """浔阳区 (x) and 濂溪区 (l): stations, teams, party branches, and the people of each role."""
    w = SimpleNamespace(**jiujiang)
    w.street_l = region_upsert(code="360402001", name="十里街道", parent=jiujiang["lianxi"])
    w.station_x = make_station(name="甘棠驿站")
    w.station_l = make_station(name="十里驿站", region=jiujiang["lianxi"], lat=29.67, lng=116.02)

    w.committee_x = organisation_create(
        name="浔阳区新就业群体党委", kind=K.PARTY_COMMITTEE, region=jiujiang["xunyang"]
    )
    w.branch_x = organisation_create(
        name="甘棠骑手党支部",
        kind=K.PARTY_BRANCH,
        region=jiujiang["street"],
        parent=w.committee_x,
        station=w.station_x,
    )
    w.branch_l = organisation_create(
        name="十里快递党支部", kind=K.PARTY_BRANCH, region=w.street_l, station=w.station_l
    )
    w.team_x = organisation_create(
        name="甘棠骑手志愿队", kind=K.VOLUNTEER_TEAM, region=jiujiang["street"]
    )
    w.team_l = organisation_create(name="十里志愿队", kind=K.VOLUNTEER_TEAM, region=w.street_l)
    w.office_x = organisation_create(
        name="浔阳区人社局", kind=K.GOVERNMENT_DEPARTMENT, region=jiujiang["xunyang"]
    )

    def staff(name, role, **scope):
        user = make_user(name=name)
        role_assign(user=user, role=role, **scope)
        return user

    w.admin_x = staff("浔阳管理员", "region_admin", region=jiujiang["xunyang"])
    w.admin_l = staff("濂溪管理员", "region_admin", region=jiujiang["lianxi"])
    w.party_officer_x = staff("浔阳党建", "party_officer", region=jiujiang["xunyang"])
    w.dispatcher_x = staff("浔阳调度", "dispatcher", region=jiujiang["xunyang"])
    w.handler_x = staff("人社局经办", "department_handler", organisation=w.office_x)
    w.manager_x = staff("甘棠站长", "station_manager", station=w.station_x)
    w.manager_l = staff("十里站长", "station_manager", station=w.station_l)
    w.auditor_x = staff("浔阳审计", "auditor", region=jiujiang["xunyang"])

    def member(name, org, role):
        user = make_user(name=name)
        membership_add(organisation=org, user=user, role=role)
        return user

    w.leader_x = member("甘棠队长", w.team_x, Membership.Role.LEADER)
    w.leader_l = member("十里队长", w.team_l, Membership.Role.LEADER)
    w.secretary_x = member("甘棠支书", w.branch_x, Membership.Role.SECRETARY)
    w.secretary_l = member("十里支书", w.branch_l, Membership.Role.SECRETARY)
    w.committee_secretary_x = member("党委书记", w.committee_x, Membership.Role.SECRETARY)

    w.worker_x = make_worker(name="甘棠骑手", phone="13800000001")
    w.worker_l = make_worker(name="十里快递员", phone="13800000002", street=w.street_l)
    w.outsider = make_worker(name="新来的", phone="13800000003", registered=False)

    w.request_x, _ = membership_request(organisation=w.team_x, user=w.worker_x)
    w.request_l, _ = membership_request(organisation=w.team_l, user=w.worker_l)
    w.party_x = party_membership_declare(
        user=w.worker_x, branch=w.branch_x, status="full", is_mobile=True
    )
    w.party_l = party_membership_declare(
        user=w.worker_l, branch=w.branch_l, status="probationary", home_branch="湖北某支部"
    )
    party_membership_confirm(party_membership=w.party_l, actor=w.secretary_l)
    return w
