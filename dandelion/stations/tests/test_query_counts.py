"""Every list of places answers in a fixed number of queries, however many rows it holds:
built with one row, then five, the count is the same."""

from datetime import time

import pytest

from dandelion.stations.services import partner_create, place_set_weekly_hours

API_LISTS = {
    # url: queries (the page's count and rows, regions, amenities, hours, exceptions)
    "/api/v1/stations?page_size=10": 5,
    "/api/v1/partners?page_size=10": 5,
    "/api/v1/amenities": 1,
    "/api/v1/stations.geojson": 5,
    "/api/v1/stations.geojson?include_partners=true": 10,
}

ADMIN_LISTS = {
    "/admin/stations/station/": 7,
    "/admin/stations/partnerplace/": 7,
    "/admin/stations/amenity/": 5,
}


@pytest.fixture
def places(make_station, jiujiang):
    """`places(n)`: n stations and n partner places, each with amenities and hours."""

    def build(n: int) -> None:
        for i in range(n):
            make_station(
                lat=29.70 + i * 0.001,
                amenities=["hot_water", "toilet"],
                hours=[(d, time(9), time(18)) for d in range(5)],
            )
            partner = partner_create(
                name=f"合作点{i}",
                region=jiujiang["xunyang"],
                address="浔阳路",
                lat=29.70 + i * 0.001,
                lng=116.0,
                kind="caring_merchant",
                amenity_codes=["hot_water"],
            )
            place_set_weekly_hours(place=partner, intervals=[(0, time(7), time(22))])

    return build


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("url", list(API_LISTS))
def test_api_lists_take_a_fixed_number_of_queries(
    client, places, django_assert_num_queries, url, rows
):
    places(rows)

    with django_assert_num_queries(API_LISTS[url]):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("url", list(ADMIN_LISTS))
def test_admin_lists_take_a_fixed_number_of_queries(
    admin_client, places, django_assert_num_queries, url, rows
):
    places(rows)
    admin_client.get(url)  # the session and the site's caches, once

    with django_assert_num_queries(ADMIN_LISTS[url]):
        response = admin_client.get(url)

    assert response.status_code == 200
