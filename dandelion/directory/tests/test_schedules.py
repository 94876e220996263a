"""Schedules round-trip: a reader who turns a location's HSDS schedules back into opening hours
(by the rules in `directory.schedules` and docs/hsds.md) gets the station's own answer to "open
at?" for every hour of the coming week, across its dated exceptions."""

from datetime import timedelta

from django.utils import timezone

from dandelion.directory.schedules import weekly_hours_from_schedules
from dandelion.stations.selectors import partner_get, place_hours, place_timezone, station_get


def _locations(client) -> dict[str, dict]:
    rows = client.get("/hsds/service_at_locations", {"full": "true", "per_page": 100}).json()
    return {row["location"]["name"]: row["location"] for row in rows["contents"]}


def _moments(now):
    start = now.replace(minute=0, second=0, microsecond=0)
    for hour in range(7 * 24 + 24):
        for minute in (0, 30):
            yield start + timedelta(hours=hour, minutes=minute)


def test_every_hour_of_a_week_answers_as_the_station_does(client, directory):
    locations = _locations(client)
    now = timezone.now()
    places = [
        station_get(station_id=directory[key].pk) for key in ("always", "evening", "suspended")
    ] + [partner_get(partner_id=directory["partner"].pk)]
    compared = opened = 0
    for place in places:
        own = place_hours(place)
        tz = place_timezone(place)
        theirs = weekly_hours_from_schedules(locations[place.name]["schedules"])
        for moment in _moments(now):
            expected = own.is_open_at(moment, tz)
            assert theirs.is_open_at(moment, tz) == expected, (place.name, moment.astimezone(tz))
            compared += 1
            opened += expected
    assert 0 < opened < compared


def test_the_shapes_of_weekly_overnight_24_hour_and_dated_schedules(client, directory):
    locations = _locations(client)
    always = locations["甘棠24小时驿站"]["schedules"]
    assert always[0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (always[0]["opens_at"], always[0]["closes_at"]) == ("00:00", "00:00")
    assert always[0]["timezone"] == 8
    evening = locations["濂溪夜间驿站"]["schedules"]
    weekly = [s for s in evening if "valid_from" not in s]
    assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly} == {
        ("MO,TU,WE,TH,FR", "09:00", "12:00"),
        ("MO,TU,WE,TH,FR", "14:00", "18:00"),
        ("FR", "20:00", "02:00"),
        ("SA", "22:00", "06:00"),
    }
    dated = [s for s in evening if "valid_from" in s]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    closed = next(s for s in dated if s["valid_from"] == tomorrow)
    assert closed["valid_to"] == closed["dtstart"] == tomorrow
    assert "opens_at" not in closed and closed["count"] == 1
    assert {(s["opens_at"], s["closes_at"]) for s in dated if "opens_at" in s} == {
        ("10:00", "11:00"),
        ("23:00", "03:00"),
    }
