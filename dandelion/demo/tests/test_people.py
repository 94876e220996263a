"""The demo city's people: staff for every role and scope, workers, teams and branches."""

import pytest
from django.test import Client

from dandelion.accounts.models import RoleAssignment, User, WorkerProfile
from dandelion.demo.city import city_build
from dandelion.demo.people import (
    DEMO_PASSWORD,
    HR_OFFICE,
    PHONE_PREFIX,
    WORKER_COUNT,
    demo_people_load,
    district_stations,
    workers_build,
)
from dandelion.demo.services import demo_city_load
from dandelion.orgs.models import Membership, Organisation, PartyMembership

pytestmark = pytest.mark.django_db

STAFF_ROLES = {
    "xunyang_admin": ("region_admin", "浔阳区"),
    "dispatcher": ("dispatcher", "浔阳区"),
    "hr_handler": ("department_handler", HR_OFFICE),
    "auditor": ("auditor", "浔阳区"),
}


@pytest.fixture
def fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot() -> dict:
    return {
        "users": list(User.objects.order_by("pk").values_list()),
        "profiles": list(WorkerProfile.objects.order_by("pk").values_list()),
        "orgs": list(Organisation.objects.order_by("pk").values_list()),
        "memberships": list(Membership.objects.order_by("pk").values_list()),
        "party": list(PartyMembership.objects.order_by("pk").values_list()),
        "roles": list(RoleAssignment.objects.order_by("pk").values_list()),
    }


def test_workers_are_a_function_of_the_seed():
    assert workers_build(seed=7) == workers_build(seed=7)
    assert workers_build(seed=7) != workers_build(seed=8)
    phones = [w.phone for w in workers_build()]
    assert len(set(phones)) == WORKER_COUNT
    assert all(p.startswith(PHONE_PREFIX) and len(p) == 11 for p in phones)


def test_people_load_counts_roles_logins_and_is_idempotent(fast_hashes):
    demo_city_load()
    summary = demo_people_load()
    assert summary.created["worker"] == WORKER_COUNT
    assert summary.created["staff"] == 9

    assert WorkerProfile.objects.filter(user__phone__startswith=PHONE_PREFIX).count() == 300
    teams = Organisation.objects.filter(kind="volunteer_team")
    assert teams.count() == 4
    assert Organisation.objects.filter(kind="party_branch").count() == 3
    assert Organisation.objects.get(name=HR_OFFICE).kind == "government_department"
    active = Membership.objects.filter(organisation__in=teams, status="active", role="member")
    assert active.count() > 50
    assert Membership.objects.filter(status="pending").exists()
    party = PartyMembership.objects.all()
    assert party.filter(state="confirmed").exists() and party.filter(state="pending").exists()

    for username, (role, scope) in STAFF_ROLES.items():
        assignment = RoleAssignment.objects.get(user__username=username)
        assert (assignment.role, assignment.scope.name) == (role, scope)
    stations = district_stations()
    for n, station in enumerate(stations, start=1):
        assignment = RoleAssignment.objects.get(user__username=f"station_manager_{n}")
        assert (assignment.role, assignment.station) == ("station_manager", station)
    assert stations[0].region.code.startswith("360403") and len(stations) == 2
    leader = Membership.objects.get(user__username="team_leader")
    assert (leader.role, leader.status, leader.organisation.kind) == (
        "leader",
        "active",
        "volunteer_team",
    )
    secretary = Membership.objects.get(user__username="branch_secretary")
    assert (secretary.role, secretary.status, secretary.organisation.kind) == (
        "secretary",
        "active",
        "party_branch",
    )
    assert User.objects.get(username="admin").is_superuser

    usernames = [*STAFF_ROLES, "station_manager_1", "station_manager_2", "team_leader"]
    for username in [*usernames, "branch_secretary", "admin"]:
        user = User.objects.get(username=username)
        assert user.is_staff and user.check_password(DEMO_PASSWORD)
        assert Client().login(username=username, password=DEMO_PASSWORD), username

    before = snapshot()
    again = demo_people_load()
    assert sum(again.created.values()) == 0
    assert snapshot() == before


def test_a_changed_password_survives_a_reload(fast_hashes):
    demo_city_load()
    demo_people_load()
    user = User.objects.get(username="dispatcher")
    user.set_password("changed-by-the-demo-host")
    user.save()
    demo_people_load()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-demo-host")


def test_city_build_is_untouched_by_people():
    assert len(city_build().stations) == 183
