"""Reaching the worker: the staff handling a need reveal the worker's phone with one action,
audited and in the need's timeline; nobody else can, and the phone stays masked elsewhere."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.core.errors import NotFound, PermissionDenied
from dandelion.core.models import AuditEvent
from dandelion.needs import selectors, services
from dandelion.needs.models import Need, NeedEvent

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13800000001", "138****0001"


def _reveal(user, need_id):
    return client_for(user).post(f"/api/v1/needs/{need_id}/contact")


def _traces():
    return AuditEvent.objects.filter(field="phone").count(), NeedEvent.objects.filter(
        action="contact"
    ).count()


@pytest.mark.parametrize("who", ["handler_x", "dispatcher_x", "admin_x"])
def test_the_staff_handling_a_need_reveal_the_full_phone(needs_world, make_need_in, who):
    w = needs_world
    need = make_need_in("in_progress")
    response = _reveal(getattr(w, who), need.pk)
    assert response.status_code == 200, response.content
    assert response.json() == {"phone": PHONE}


def test_a_superuser_reveals_it_too(needs_world, make_need_in, make_user):
    need = make_need_in("dispatched")
    root = make_user(name="超级管理员", is_superuser=True, is_staff=True)
    assert _reveal(root, need.pk).json() == {"phone": PHONE}
    event = NeedEvent.objects.get(need=need, action="contact")
    assert event.actor_role == "region_admin"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        # staff who reach other needs: the same 404 as for no such need
        ("justice_handler", 404, "not_found"),  # another department of the district
        ("handler_l", 404, "not_found"),  # a department of another district
        ("dispatcher_l", 404, "not_found"),  # another district's dispatcher
        ("admin_l", 404, "not_found"),
        # people who may call no worker at all
        ("auditor_x", 403, "permission_denied"),  # sees the need, may not call
        ("worker_x", 403, "permission_denied"),  # the need's own worker
        ("worker_l", 403, "permission_denied"),
        ("manager_x", 403, "permission_denied"),
        (None, 401, "not_authenticated"),
    ],
)
def test_nobody_else_reveals_it_and_a_refusal_leaves_no_trace(
    needs_world, make_need_in, who, status, code
):
    w = needs_world
    need = make_need_in("dispatched")
    response = _reveal(getattr(w, who) if who else None, need.pk)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert PHONE not in response.content.decode()
    assert _traces() == (0, 0)


@pytest.mark.parametrize("who", ["justice_handler", "dispatcher_l", "auditor_x", "worker_l"])
def test_an_existing_need_and_no_such_need_answer_alike(needs_world, make_need_in, who):
    w = needs_world
    need = make_need_in("dispatched")
    existing, missing = _reveal(getattr(w, who), need.pk), _reveal(getattr(w, who), need.pk + 999)
    assert existing.status_code == missing.status_code
    assert existing.json() == missing.json()


def test_a_handler_reaches_only_needs_routed_to_their_department_now(needs_world, submit):
    w = needs_world
    need = submit()
    assert _reveal(w.handler_x, need.pk).status_code == 404  # not dispatched yet
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    assert _reveal(w.handler_x, need.pk).status_code == 200
    services.need_decline(need=need, actor=w.handler_x, reason="不归我们管")
    assert _reveal(w.handler_x, need.pk).status_code == 404
    assert _reveal(w.dispatcher_x, need.pk).status_code == 200


def test_the_service_refuses_without_the_selector(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("dispatched")
    with pytest.raises(PermissionDenied):
        services.need_contact_reveal(need=need, actor=w.justice_handler)
    with pytest.raises(PermissionDenied):
        services.need_contact_reveal(need=need, actor=w.worker_x)
    with pytest.raises(NotFound):
        selectors.need_for_contact(actor=w.justice_handler, need_id=need.pk)
    assert _traces() == (0, 0)


def test_a_reveal_is_audited_as_a_read_of_the_workers_phone(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("accepted")
    _reveal(w.handler_x, need.pk)
    event = AuditEvent.objects.get(field="phone")
    assert (event.action, event.field, event.actor, event.subject) == (
        "read",
        "phone",
        w.handler_x,
        w.worker_x,
    )
    assert (event.target_type, event.target_id) == ("needs.need", str(need.pk))
    assert event.region_code == need.region.code
    # each reveal is one more read
    _reveal(w.dispatcher_x, need.pk)
    assert AuditEvent.objects.filter(action="read", field="phone").count() == 2


def test_a_reveal_is_in_the_timeline_as_the_office_never_the_person(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("accepted")
    _reveal(w.handler_x, need.pk)
    _reveal(w.dispatcher_x, need.pk)
    handler_event, dispatcher_event = NeedEvent.objects.filter(need=need, action="contact")
    # an event that moves nothing, in the role and office the caller acted in
    assert (handler_event.from_state, handler_event.to_state) == ("accepted", "accepted")
    assert (handler_event.actor, handler_event.actor_role) == (w.handler_x, "department_handler")
    assert handler_event.office_name == "浔阳区人社局"
    assert (dispatcher_event.actor_role, dispatcher_event.office_name) == ("dispatcher", "浔阳区")
    assert Need.objects.get(pk=need.pk).state == "accepted"

    # The worker's own timeline, in the API and on their page, names the office that looked.
    body = client_for(w.worker_x).get(f"/api/v1/needs/{need.pk}").json()
    looked = [e for e in body["events"] if e["action"] == "contact"]
    assert [e["by"] for e in looked] == ["浔阳区人社局", "浔阳区 · 调度员"]
    assert looked[0]["action_label"] == "查看提出人电话"
    page = client_for(w.worker_x).get(f"/needs/{need.pk}/").content.decode()
    assert 'data-event="contact"' in page and "浔阳区人社局" in page
    assert "人社局经办" not in page and "浔阳调度" not in page


def test_the_phone_stays_masked_everywhere_else(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("in_progress")
    assert _reveal(w.handler_x, need.pk).status_code == 200
    detail = client_for(w.handler_x).get(f"/api/v1/needs/{need.pk}")
    assert detail.json()["worker"]["phone"] == MASKED
    for user, path in [
        (w.handler_x, f"/api/v1/needs/{need.pk}"),
        (w.handler_x, "/api/v1/needs"),
        (w.dispatcher_x, "/api/v1/needs"),
        (w.handler_x, f"/console/needs/{need.pk}/"),
        (w.handler_x, "/console/needs/department/"),
        (w.dispatcher_x, f"/console/needs/{need.pk}/"),
        (w.auditor_x, f"/console/needs/{need.pk}/"),
    ]:
        response = client_for(user).get(path)
        assert response.status_code == 200, path
        assert PHONE not in response.content.decode(), path


def test_a_reveal_does_not_break_the_chain_of_moves(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("accepted")
    _reveal(w.handler_x, need.pk)
    services.need_start(need=need, actor=w.handler_x)
    events = list(NeedEvent.objects.filter(need=need).order_by("id"))
    chain = ""
    for event in events:
        assert event.from_state == chain
        chain = event.to_state
    assert chain == "in_progress"


# ---- the console ----


def test_the_console_offers_the_button_only_to_those_who_may(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("dispatched")
    for user in (w.handler_x, w.dispatcher_x):
        page = client_for(user).get(f"/console/needs/{need.pk}/").content.decode()
        assert 'data-testid="reveal-phone"' in page and "显示电话" in page
    auditor_page = client_for(w.auditor_x).get(f"/console/needs/{need.pk}/").content.decode()
    assert 'data-testid="reveal-phone"' not in auditor_page and MASKED in auditor_page


def test_the_console_reveals_the_phone_with_a_call_link(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("dispatched")
    response = client_for(w.handler_x).post(f"/console/needs/{need.pk}/contact/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="tel:{PHONE}"' in page and 'data-testid="reveal-phone"' not in page
    assert 'data-event="contact"' in page  # the timeline beside it shows the read
    assert _traces() == (1, 1)
    # the number is in that answer only: the page read again shows it masked
    again = client_for(w.handler_x).get(f"/console/needs/{need.pk}/").content.decode()
    assert PHONE not in again and MASKED in again


@pytest.mark.parametrize(
    ("who", "status"),
    [("justice_handler", 404), ("dispatcher_l", 404), ("auditor_x", 403), ("worker_x", 403)],
)
def test_the_console_refuses_everyone_else(needs_world, make_need_in, who, status):
    need = make_need_in("dispatched")
    response = client_for(getattr(needs_world, who)).post(f"/console/needs/{need.pk}/contact/")
    assert response.status_code == status
    assert PHONE not in response.content.decode()
    assert _traces() == (0, 0)


def test_the_console_reveal_is_a_post(needs_world, make_need_in):
    need = make_need_in("dispatched")
    response = client_for(needs_world.handler_x).get(f"/console/needs/{need.pk}/contact/")
    assert response.status_code == 405
    assert _traces() == (0, 0)
