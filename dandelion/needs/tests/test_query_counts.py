"""Every list endpoint and list page of the needs app reads a fixed number of queries: one row
or five, the same count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dandelion.accounts.testing import client_for
from dandelion.needs import services

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the session and the caches of the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def rows(needs_world, submit, make_need_in, make_user):
    """`rows(kind)` adds one row of a kind of list."""
    w = needs_world
    counter = iter(range(1000))

    def needs():
        services.need_dispatch(need=submit(), actor=w.dispatcher_x, department=w.office_x)

    def overdue():
        from datetime import timedelta

        from django.utils import timezone

        need = submit()
        need.__class__.objects.filter(pk=need.pk).update(
            accept_due_at=timezone.now() - timedelta(hours=1)
        )

    def reviews():
        need = make_need_in("resolved")
        services.need_rate(need=need, actor=w.worker_x, stars=1)

    def wishes():
        wish = services.wish_create(worker=w.worker_x, title=f"想要一个头盔{next(counter)}")
        services.wish_pledge(
            wish=wish, pledger=w.worker_l, kind="volunteer", display_name="热心市民"
        )

    def wall():
        services.wish_create(worker=w.worker_x, title=f"想要一副手套{next(counter)}")

    def problems():
        need = submit()
        services.problem_create(
            actor=w.dispatcher_x,
            title=f"小区不让骑手进{next(counter)}",
            region=w.xunyang,
            need_ids=[need.pk],
        )

    kinds = {
        "needs": needs,
        "overdue": overdue,
        "reviews": reviews,
        "wishes": wishes,
        "wall": wall,
        "problems": problems,
    }
    return lambda kind: kinds[kind]()


@pytest.mark.parametrize(
    "person,url,kind",
    [
        ("worker_x", "/api/v1/needs?mine=true", "needs"),
        ("dispatcher_x", "/api/v1/needs", "needs"),
        ("dispatcher_x", "/api/v1/needs/reviews", "reviews"),
        (None, "/api/v1/wishes", "wall"),
        ("worker_x", "/api/v1/wishes/mine", "wishes"),
        ("dispatcher_x", "/api/v1/problems", "problems"),
        ("worker_x", "/needs/mine/", "needs"),
        (None, "/wishes/", "wall"),
        ("worker_x", "/wishes/mine/", "wishes"),
        ("worker_l", "/wishes/mine/", "wishes"),
        ("dispatcher_x", "/console/needs/", "overdue"),
        ("handler_x", "/console/needs/department/", "needs"),
        ("dispatcher_x", "/console/needs/all/", "needs"),
        ("dispatcher_x", "/console/needs/overdue/", "overdue"),
        ("dispatcher_x", "/console/needs/reviews/", "reviews"),
        ("dispatcher_x", "/console/needs/problems/", "problems"),
    ],
)
def test_a_list_reads_the_same_queries_for_one_row_or_five(needs_world, rows, person, url, kind):
    client = client_for(getattr(needs_world, person) if person else None)
    rows(kind)
    one = _queries(client, url)
    for _ in range(4):
        rows(kind)
    assert _queries(client, url) == one
