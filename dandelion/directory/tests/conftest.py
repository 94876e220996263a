from datetime import time, timedelta

import pytest
from django.utils import timezone

from dandelion.accounts.testing import *  # noqa: F403
from dandelion.catalog.testing import *  # noqa: F403
from dandelion.orgs.testing import *  # noqa: F403


@pytest.fixture
def directory(jiujiang, make_station, menu):
    """A directory like the demo's: a 24-hour station, a station with day hours, an overnight
    interval and dated exceptions (closed, shorter, overnight), a suspended station, a partner
    place, and the menu's two items, one with two providers."""
    from dandelion.orgs.services import organisation_create
    from dandelion.stations.services import (
        partner_create,
        place_add_exception,
        place_set_weekly_hours,
    )

    today = timezone.localdate()
    always = make_station(
        name="甘棠24小时驿站",
        amenities=["hot_water", "phone_charging"],
        host_org_name="九江银行甘棠支行",
        phone="0792-8221234",
    )
    evening = make_station(
        name="濂溪夜间驿站",
        region=jiujiang["lianxi"],
        lat=29.6717,
        lng=116.0253,
        amenities=["microwave"],
        hours=[
            *[(d, time(9), time(12)) for d in range(5)],
            *[(d, time(14), time(18)) for d in range(5)],
            (4, time(20), time(2)),
            (5, time(22), time(6)),
        ],
        kind="rider_home",
        origin="new_build",
    )
    place_add_exception(place=evening, day=today + timedelta(days=1), closed=True, note="检修")
    place_add_exception(
        place=evening, day=today + timedelta(days=2), closed=False, opens=time(10), closes=time(11)
    )
    place_add_exception(
        place=evening, day=today + timedelta(days=3), closed=False, opens=time(23), closes=time(3)
    )
    place_add_exception(place=always, day=today + timedelta(days=4), closed=True)
    suspended = make_station(
        name="暂停驿站", lat=29.74, lng=115.99, status="suspended", host_org_name="九江银行甘棠支行"
    )
    partner = partner_create(
        name="爱心面馆",
        region=jiujiang["street"],
        address="甘棠街道庾亮南路8号",
        lat=29.722,
        lng=115.996,
        kind="caring_merchant",
        offer="骑手免费热水、打九折",
        phone="0792-8999999",
        amenity_codes=["hot_water"],
    )
    place_set_weekly_hours(place=partner, intervals=[(d, time(7), time(21)) for d in range(7)])
    justice = organisation_create(
        name="浔阳区司法局", kind="government_department", region=jiujiang["xunyang"]
    )
    union = organisation_create(
        name="浔阳区总工会", kind="social_organisation", region=jiujiang["xunyang"]
    )
    menu["mediation"].providers.set([justice, union])
    return {
        "always": always,
        "evening": evening,
        "suspended": suspended,
        "partner": partner,
        "justice": justice,
        "union": union,
        **menu,
    }
