"""Deadlines with frozen time: overdue needs are flagged and escalated to the region admin once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dandelion.needs import services
from dandelion.needs.models import NeedEscalation
from dandelion.needs.selectors import need_list
from dandelion.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _escalations(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind__startswith="needs.overdue").values_list(
            "kind", flat=True
        )
    )


def test_overdue_acceptance_is_escalated_once(needs_world, submit):
    w = needs_world
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        need = submit(item="mediation")  # 4 hours to accept
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        assert services.needs_escalate_overdue() == 0
        assert not need_list(actor=w.dispatcher_x, overdue=True).exists()
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        assert list(need_list(actor=w.dispatcher_x, overdue=True)) == [need]
        assert services.needs_escalate_overdue() == 1
        assert services.needs_escalate_overdue() == 0  # idempotent
    assert _escalations(w.admin_x) == ["needs.overdue_accept"]
    assert _escalations(w.admin_l) == [] and _escalations(w.dispatcher_x) == []
    assert NeedEscalation.objects.get().stage == "accept"


def test_overdue_resolution_after_acceptance_is_a_second_escalation(needs_world, submit):
    w = needs_world
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        need = submit(item="mediation")  # 4 h to accept, 48 h to resolve
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        services.needs_escalate_overdue()
        services.need_accept(need=need, actor=w.handler_x)
        # Accepted late: no longer overdue until the resolution deadline.
        assert not need_list(actor=w.dispatcher_x, overdue=True).exists()
    with time_machine.travel(start + timedelta(hours=49), tick=False):
        assert services.needs_escalate_overdue() == 1
        assert services.needs_escalate_overdue() == 0
    assert sorted(_escalations(w.admin_x)) == ["needs.overdue_accept", "needs.overdue_resolve"]


def test_a_reopened_need_can_be_escalated_again_in_its_new_round(needs_world, submit):
    w = needs_world
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        need = submit()
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
        services.need_accept(need=need, actor=w.handler_x)
    with time_machine.travel(start + timedelta(hours=73), tick=False):
        assert services.needs_escalate_overdue() == 1
        services.need_resolve(need=need, actor=w.handler_x, note="已处理")
        services.need_reopen(need=need, actor=w.worker_x, reason="没解决")
    with time_machine.travel(start + timedelta(hours=73 + 73), tick=False):
        assert services.needs_escalate_overdue() == 1
    assert list(NeedEscalation.objects.order_by("round").values_list("stage", "round")) == [
        ("resolve", 1),
        ("resolve", 2),
    ]


def test_resolved_and_cancelled_needs_are_never_overdue(needs_world, submit):
    w = needs_world
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        cancelled = submit()
        services.need_cancel(need=cancelled, actor=w.worker_x)
    with time_machine.travel(start + timedelta(days=30), tick=False):
        assert services.needs_escalate_overdue() == 0
    assert not NeedEscalation.objects.exists()


def test_the_job_is_registered_with_the_periodic_runner():
    from dandelion.core.periodic import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"needs.escalate_overdue", "needs.lapse_pledges"} <= names
