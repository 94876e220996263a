from types import SimpleNamespace

import pytest

from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.catalog.testing import *  # noqa: F403
from dandelion.orgs.services import organisation_create
from dandelion.orgs.testing import *  # noqa: F403


@pytest.fixture
def needs_world(world, menu, make_user):
    """The orgs `world` plus the menu, a second department (浔阳区司法局) with its own handler,
    and a 濂溪区 department and dispatcher."""
    w = world
    w.menu = SimpleNamespace(**menu)
    w.justice_x = organisation_create(
        name="浔阳区司法局", kind="government_department", region=w.xunyang
    )
    w.justice_handler = make_user(name="司法局经办")
    role_assign(user=w.justice_handler, role="department_handler", organisation=w.justice_x)
    w.office_l = organisation_create(
        name="濂溪区人社局", kind="government_department", region=w.lianxi
    )
    w.handler_l = make_user(name="濂溪人社经办")
    role_assign(user=w.handler_l, role="department_handler", organisation=w.office_l)
    w.dispatcher_l = make_user(name="濂溪调度")
    role_assign(user=w.dispatcher_l, role="dispatcher", region=w.lianxi)
    return w


@pytest.fixture
def submit(needs_world):
    """`submit(worker=…, item=…)`: a need through the service, with valid defaults."""
    from dandelion.needs.services import need_submit

    def make(*, worker=None, item="other", answers=None, **fields):
        w = needs_world
        item_obj = None if item == "other" else getattr(w.menu, item)
        if item == "mediation" and answers is None:
            answers = {"dispute": "wages"}
        need, _ = need_submit(
            worker=worker or w.worker_x,
            item=item_obj,
            description=fields.pop("description", "平台拖欠了我两个月的工资"),
            answers=answers,
            **fields,
        )
        return need

    return make


@pytest.fixture
def make_need_in(needs_world, submit):
    """`make_need_in(state)`: a need brought to `state` through the services;
    `make_need_in.actor_for(action)`: who may do `action` on it."""
    from datetime import timedelta

    from django.utils import timezone

    from dandelion.needs import services

    w = needs_world

    def make(state: str):
        from dandelion.needs.models import Need

        need = _progress(state)
        return Need.objects.get(pk=need.pk)

    def _progress(state: str):
        need = submit()
        if state == "submitted":
            return need
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
        if state == "dispatched":
            return need
        if state == "cancelled":  # cancelled after dispatch, so the department still sees it
            services.need_cancel(need=need, actor=w.worker_x)
            return need
        services.need_accept(need=need, actor=w.handler_x)
        if state == "accepted":
            return need
        services.need_start(need=need, actor=w.handler_x)
        if state == "in_progress":
            return need
        services.need_resolve(
            need=need, actor=w.handler_x, note="已处理", now=timezone.now() - timedelta(hours=1)
        )
        if state == "resolved":
            return need
        services.need_rate(need=need, actor=w.worker_x, stars=4)
        return need

    def actor_for(action: str):
        return {
            "dispatch": w.dispatcher_x,
            "accept": w.handler_x,
            "decline": w.handler_x,
            "start": w.handler_x,
            "resolve": w.handler_x,
            "rate": w.worker_x,
            "reopen": w.worker_x,
            "cancel": w.worker_x,
        }[action]

    make.actor_for = actor_for
    return make


@pytest.fixture
def submissions_unlimited(settings):
    """For tests that make many needs or wishes for one worker: the submission limit (tested on
    its own in `test_limits`) out of their way."""
    settings.SUBMISSION_RATES = "100000/60"
