"""Across apps, through the real event bus: a report staff accept as valid earns its reporter the
region's points, once, however often the report moves afterwards."""

import pytest
from django.core.management import call_command

from dandelion.points.models import EarningRule
from dandelion.points.selectors import balance_of, ledger_problems
from dandelion.points.services import issuer_fund
from dandelion.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(rw):
    issuer_fund(region=rw.xunyang, amount=1_000, actor=rw.admin, source_key="fund:integration")
    return EarningRule.objects.create(region=rw.xunyang, event="report_accepted", points=20)


def test_accepted_report_earns_its_reporter_points_once(
    rw, rule, make_report, django_capture_on_commit_callbacks
):
    report = make_report()
    assert balance_of(user=rw.worker) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="open", note="受理"
        )
    assert balance_of(user=rw.worker) == 20

    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.office_handler, status="in_progress", note="处置中"
        )
        services.report_status_change(
            report_id=report.pk, actor=rw.office_handler, status="fixed", note="已清运"
        )
    assert balance_of(user=rw.worker) == 20
    assert ledger_problems() == []
    call_command("points_check")


def test_report_refused_as_invalid_earns_nothing(
    rw, rule, make_report, django_capture_on_commit_callbacks
):
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_change(
            report_id=report.pk, actor=rw.dispatcher, status="no_further_action", note="不属实"
        )
    assert balance_of(user=rw.worker) == 0
