"""Every list (API, H5, console, Open311) costs the same queries for one row as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.reports import services

from .conftest import HERE

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _near(n: int) -> tuple[float, float]:
    return (HERE[0] + 0.00005 * n, HERE[1])


def _same_for_one_and_five(make, client, url) -> None:
    make(0)
    one = _queries(client, url)
    for n in range(1, 5):
        make(n)
    assert _queries(client, url) == one


@pytest.mark.parametrize(
    "url",
    ["/api/v1/reports/nearby-open?category=garbage&lat={lat}&lng={lng}", "/api/v1/reports/mine"],
)
def test_a_workers_lists(rw, make_report, url):
    url = url.format(lat=HERE[0], lng=HERE[1])
    _same_for_one_and_five(
        lambda n: make_report(at=_near(n), photos=1 + n % 2), client_for(rw.worker), url
    )


def test_the_my_reports_page(rw, make_report):
    _same_for_one_and_five(
        lambda n: make_report(at=_near(n)), client_for(rw.worker), "/reports/mine/"
    )


def test_the_categories(rw):
    def make(n):
        services.category_upsert(
            region=rw.city,
            code=f"extra_{n}",
            name=f"类别 {n}",
            attributes=[{"code": "q", "description": "？", "datatype": "string"}],
        )

    for url in (
        f"/api/v1/report-categories?lat={HERE[0]}&lng={HERE[1]}",
        "/api/v1/report-categories?region=360403",
        "/open311/v2/services.json?jurisdiction_id=360400",
    ):
        one = _queries(client_for(None), url)
        make(len(url))
        make(len(url) + 1)
        assert _queries(client_for(None), url) == one, url


def test_the_console_queue(rw, make_report):
    _same_for_one_and_five(
        lambda n: make_report(at=_near(n)), client_for(rw.dispatcher), "/console/reports/"
    )


@pytest.mark.parametrize(
    "url", ["/open311/v2/requests.json", "/open311/v2/servicerequestupdates.json"]
)
def test_the_open311_lists(rw, make_report, url):
    def make(n):
        report = make_report(at=_near(n))
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="open", note="受理"
        )

    _same_for_one_and_five(make, client_for(None), url)
