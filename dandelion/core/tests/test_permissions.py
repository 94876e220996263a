"""The one permission mechanism: grants from roles and memberships, scopes, rules."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dandelion.accounts.models import RoleAssignment, User
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.core import permissions
from dandelion.core.errors import NotFound, PermissionDenied
from dandelion.core.permissions import (
    Grant,
    can,
    get_scoped,
    grants_for,
    require,
    scope_queryset,
)
from dandelion.orgs.models import Organisation, PartyMembership
from dandelion.orgs.testing import *  # noqa: F403
from dandelion.stations.models import Station

pytestmark = pytest.mark.django_db


def test_station_manager_may_change_their_station_and_no_other(world):
    assert can(world.manager_x, "station.change", world.station_x)
    assert not can(world.manager_x, "station.change", world.station_l)
    assert list(scope_queryset(world.manager_x, "station.change", Station.objects.all())) == [
        world.station_x
    ]


def test_region_admin_sees_their_district_not_the_neighbours(world):
    assert can(world.admin_x, "station.change", world.station_x)
    assert not can(world.admin_x, "station.change", world.station_l)
    orgs = scope_queryset(world.admin_x, "org.view", Organisation.objects.all())
    assert world.team_x in orgs and world.branch_x in orgs and world.office_x in orgs
    assert world.team_l not in orgs and world.branch_l not in orgs
    people = scope_queryset(world.admin_x, "user.view", User.objects.all())
    assert world.worker_x in people and world.admin_x in people
    assert world.worker_l not in people and world.admin_l not in people


def test_a_city_wide_role_covers_every_district(world, make_user):
    from dandelion.accounts.services import role_assign

    city_admin = make_user()
    role_assign(user=city_admin, role="region_admin", region=world.city)
    assert can(city_admin, "station.change", world.station_x)
    assert can(city_admin, "station.change", world.station_l)


def test_a_leaders_membership_grants_organiser_over_the_team_only(world):
    assert Grant("organiser", organisation_path=world.team_x.path) in grants_for(world.leader_x)
    assert can(world.leader_x, "membership.approve", world.request_x)
    assert not can(world.leader_x, "membership.approve", world.request_l)
    assert not can(world.leader_x, "station.change", world.station_x)


def test_party_membership_is_seen_only_by_the_branch_its_parents_and_party_officers(world):
    seen_by = {
        name
        for name in vars(world)
        if isinstance(getattr(world, name), User)
        and can(getattr(world, name), "party_membership.view", world.party_x)
    }
    assert seen_by == {
        "secretary_x",  # the branch
        "committee_secretary_x",  # its parent organisation's secretary
        "party_officer_x",  # the district's party-work officer
        "worker_x",  # the member themself
    }


def test_region_admins_see_party_membership_only_with_the_party_work_role(world):
    from dandelion.accounts.services import role_assign

    assert not can(world.admin_x, "party_membership.view", world.party_x)
    role_assign(user=world.admin_x, role="party_officer", region=world.xunyang)
    assert can(world.admin_x, "party_membership.view", world.party_x)
    assert not can(world.admin_x, "party_membership.view", world.party_l)


def test_auditor_reads_but_never_writes(world):
    assert can(world.auditor_x, "org.view", world.team_x)
    assert can(world.auditor_x, "audit.view")
    for action in ("station.change", "membership.approve", "role.assign", "org.change"):
        assert not can(world.auditor_x, action)
    assert not can(world.auditor_x, "party_membership.view", world.party_x)


def test_anonymous_and_inactive_people_may_do_nothing(world):
    assert not can(AnonymousUser(), "org.view", world.team_x)
    assert scope_queryset(AnonymousUser(), "org.view", Organisation.objects.all()).count() == 0
    world.admin_x.is_active = False
    assert not can(world.admin_x, "station.change", world.station_x)


def test_superusers_may_do_everything(world, make_user):
    root = make_user(is_superuser=True, is_staff=True)
    assert can(root, "station.change", world.station_l)
    assert scope_queryset(root, "party_membership.view", PartyMembership.objects.all()).count() == 2


def test_an_action_no_role_holds_is_refused_with_403(world):
    with pytest.raises(PermissionDenied) as caught:
        require(world.worker_x, "station.change", world.station_x)
    assert caught.value.status == 403 and caught.value.extra == {"action": "station.change"}


def _refusal(user, pk):
    try:
        get_scoped(user, "user.view", User.objects.all(), pk=pk)
    except (NotFound, PermissionDenied) as exc:
        return type(exc), exc.code, str(exc.message), exc.extra
    raise AssertionError("found")


def test_get_scoped_refuses_alike_whether_or_not_the_row_exists(world):
    # Found: in the role's scope, or one's own by relation.
    assert get_scoped(world.admin_x, "user.view", User.objects.all(), pk=world.worker_x.pk)
    assert get_scoped(world.worker_x, "user.view", User.objects.all(), pk=world.worker_x.pk)
    # A role that views people elsewhere: 404 for a person outside, as for nobody.
    outside = _refusal(world.admin_l, world.worker_x.pk)
    assert outside == _refusal(world.admin_l, 999_999) and outside[0] is NotFound
    # No role that views people: 403 for anyone but oneself, existing or not.
    other = _refusal(world.worker_l, world.worker_x.pk)
    assert other == _refusal(world.worker_l, 999_999) and other[0] is PermissionDenied


def test_a_model_without_a_scope_resolver_is_refused(world):
    # Region admins hold `audit.view`? No; but even an allowed action on an undeclared model
    # selects nothing.
    permissions.allow("region_admin", "amenity.change")
    from dandelion.stations.models import Amenity

    assert scope_queryset(world.admin_x, "amenity.change", Amenity.objects.all()).count() == 0
    permissions.registry.role_actions["region_admin"].discard("amenity.change")


def test_grants_are_loaded_once_per_user_object(world, django_assert_num_queries):
    user = User.objects.get(pk=world.leader_x.pk)
    with django_assert_num_queries(2):  # role assignments, memberships
        grants_for(user)
        grants_for(user)


def test_a_role_needs_exactly_one_scope_in_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=world.worker_x, role="dispatcher", region=world.xunyang, station=world.station_x
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.worker_x, role="dispatcher")


def test_grant_needs_exactly_one_scope():
    with pytest.raises(ValueError):
        Grant("auditor")
    with pytest.raises(ValueError):
        Grant("auditor", region_prefix="36", station_id=1)
