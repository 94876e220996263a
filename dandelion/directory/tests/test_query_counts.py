"""Each list costs the same number of queries for one place as for five."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

LISTS = [
    "/hsds/services?full=true",
    "/hsds/organizations?full=true",
    "/hsds/service_at_locations?full=true",
    "/hsds/taxonomies",
    "/hsds/taxonomy_terms",
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_queries_do_not_grow_with_rows(client, make_station, menu, url):
    from datetime import time, timedelta

    from django.utils import timezone

    from dandelion.stations.services import place_add_exception

    def add_station(n):
        station = make_station(
            name=f"驿站{n}",
            lat=29.7 + n / 100,
            amenities=["hot_water"],
            hours=[(d, time(9), time(18)) for d in range(7)],
            host_org_name=f"单位{n}",
        )
        place_add_exception(
            place=station, day=timezone.localdate() + timedelta(days=1), closed=True
        )

    add_station(0)
    one = _queries(client, url)
    for n in range(1, 5):
        add_station(n)
    assert _queries(client, url) == one
