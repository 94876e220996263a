"""Across apps, through the real event bus: rating a resolved need earns the worker the region's
points for rating (评单), once."""

import pytest

from dandelion.needs import services
from dandelion.points.models import EarningRule
from dandelion.points.selectors import balance_of, ledger_problems
from dandelion.points.services import issuer_fund

pytestmark = pytest.mark.django_db


def test_rating_a_need_earns_points_once(needs_world, submit, django_capture_on_commit_callbacks):
    w = needs_world
    issuer_fund(region=w.xunyang, amount=1_000, actor=w.admin_x, source_key="fund:integration")
    EarningRule.objects.create(region=w.xunyang, event="need_rated", points=3)
    need = submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
        services.need_accept(need=need, actor=w.handler_x)
        services.need_resolve(need=need, actor=w.handler_x, note="已处理")
    assert balance_of(user=w.worker_x) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.need_rate(need=need, actor=w.worker_x, stars=4)
    assert balance_of(user=w.worker_x) == 3
    assert ledger_problems() == []
