"""Stars (星级) on stations: the fields, `station_stars_set` and its event."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from dandelion.core import events
from dandelion.core.errors import InvalidInput
from dandelion.core.models import AuditEvent
from dandelion.stations.events import StarsChanged
from dandelion.stations.models import PlacesVersion, Station
from dandelion.stations.services import station_stars_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    seen: list[StarsChanged] = []
    events.subscribe(StarsChanged, seen.append)
    yield seen
    events._handlers[StarsChanged.name].remove(seen.append)


def test_a_new_station_is_unrated(make_station):
    station = make_station()
    assert (station.stars, station.stars_valid_until) == (0, None)
    assert (station.seats, station.facts_confirmed_at) == (None, None)


def test_setting_stars_saves_audits_and_announces(
    make_station, announced, django_capture_on_commit_callbacks
):
    station = make_station()
    with django_capture_on_commit_callbacks(execute=True):
        station_stars_set(
            station=station, stars=4, valid_until=date(2027, 12, 31), reason="assessment 7"
        )
    station.refresh_from_db()
    assert (station.stars, station.stars_valid_until) == (4, date(2027, 12, 31))
    [event] = announced
    assert event.station_id == station.pk
    assert event.station_uuid == station.uuid
    assert (event.region_code, event.city_code) == ("360403", "360400")
    assert (event.stars, event.previous_stars) == (4, 0)
    assert event.valid_until == date(2027, 12, 31)
    assert event.reason == "assessment 7"
    audit = AuditEvent.objects.get(action="stations.stars_changed")
    assert audit.detail["previous_stars"] == 0 and audit.detail["stars"] == 4

    with django_capture_on_commit_callbacks(execute=True):
        station_stars_set(station=station, stars=0, valid_until=None, reason="expired")
    assert (announced[-1].stars, announced[-1].previous_stars) == (0, 4)


def test_the_same_stars_again_announce_nothing(
    make_station, announced, django_capture_on_commit_callbacks
):
    station = make_station()
    with django_capture_on_commit_callbacks(execute=True):
        station_stars_set(station=station, stars=3, valid_until=None, reason="a")
        station_stars_set(station=station, stars=3, valid_until=None, reason="a again")
    assert len(announced) == 1


@pytest.mark.parametrize("stars", [-1, 6, 2.5, "3", True, None])
def test_stars_outside_0_to_5_are_refused(make_station, stars, announced):
    station = make_station()
    with pytest.raises(InvalidInput) as err:
        station_stars_set(station=station, stars=stars, valid_until=None, reason="x")
    assert err.value.code == "invalid_stars"
    assert Station.objects.get(pk=station.pk).stars == 0


def test_the_database_refuses_stars_above_five(make_station):
    station = make_station()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(stars=6)


def test_setting_stars_changes_the_places_version(make_station):
    """The nearby index must see new stars: the triggers survive the migration that added them."""
    station = make_station()
    before = PlacesVersion.objects.get(pk=1).token
    station_stars_set(station=station, stars=5, valid_until=None, reason="x")
    assert PlacesVersion.objects.get(pk=1).token != before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'stations_station'"
            )
            assert cursor.fetchone()[0] == 3
