"""Every transition of the table and every refusal, through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied
from dandelion.needs import services
from dandelion.needs.models import Need, NeedEvent, NeedRating, NeedReview
from dandelion.needs.workflow import ALLOWED_MOVES, NEED
from dandelion.notifications.models import Notification

TRANSITIONS = {t.action: t for t in NEED.transitions}

pytestmark = pytest.mark.django_db
S = Need.State


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_submit_other_waits_for_the_dispatcher(needs_world, submit):
    w = needs_world
    need = submit()
    assert need.state == S.SUBMITTED
    assert need.region == w.street and need.city_code == "360400"
    assert need.department is None
    assert (need.accept_due_at - need.submitted_at) == timedelta(hours=24)
    event = need.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor_role) == (
        "submit",
        "",
        "submitted",
        "worker",
    )
    assert _kinds(w.dispatcher_x) == ["needs.waiting"]
    assert _kinds(w.dispatcher_l) == []


def test_submit_takes_deadlines_and_answers_from_the_item(needs_world, submit):
    need = submit(item="mediation", answers={"dispute": "injury", "amount": "300"})
    assert need.item.code == "labour_mediation"
    assert need.answers == {"dispute": "injury", "amount": 300}
    assert need.accept_due_at - need.submitted_at == timedelta(hours=4)
    assert need.resolve_due_at - need.submitted_at == timedelta(hours=48)


def test_submit_refuses_bad_input_and_writes_nothing(needs_world, submit):
    with pytest.raises(InvalidInput) as caught:
        submit(item="mediation", answers={"dispute": "nope"}, description=" ", lat=30.0)
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"description", "answers.dispute", "lng"}
    assert not Need.objects.exists() and not NeedEvent.objects.exists()


def test_submit_needs_a_place_when_the_item_asks(needs_world, submit):
    with pytest.raises(InvalidInput) as caught:
        submit(item="charging")
    assert [(e["field"], e["code"]) for e in caught.value.errors] == [("address", "place_required")]
    assert str(caught.value.errors[0]["msg"]) == "这项服务需要填写地点"
    assert submit(item="charging", address="湓浦路 21 号").state == S.SUBMITTED


def test_submit_refuses_an_item_not_served_where_the_worker_is(needs_world, submit):
    with pytest.raises(InvalidInput) as caught:
        submit(worker=needs_world.worker_l, item="mediation")
    assert caught.value.errors[0]["field"] == "item"


def test_submit_without_registration_asks_for_a_region(needs_world, submit):
    with pytest.raises(InvalidInput) as caught:
        submit(worker=needs_world.outsider)
    assert caught.value.errors[0]["field"] == "region"
    assert caught.value.errors[0]["code"] == "registration_required"


def test_a_retried_submission_returns_the_first_need(needs_world, submit):
    first = submit(client_token="abc")
    again = submit(client_token="abc", description="另一段描述")
    assert again.pk == first.pk and Need.objects.count() == 1


def test_a_routing_rule_dispatches_at_once_most_specific_region_first(needs_world, submit):
    w = needs_world
    services.routing_rule_set(item=w.menu.mediation, region=w.xunyang, department=w.office_x)
    services.routing_rule_set(item=w.menu.mediation, region=w.street, department=w.justice_x)
    need = submit(item="mediation")
    assert need.state == S.DISPATCHED and need.department == w.justice_x
    auto = need.events.get(action="dispatch")
    assert auto.actor is None and auto.actor_role == "system" and auto.department == w.justice_x
    assert _kinds(w.justice_handler) == ["needs.dispatched"]
    assert _kinds(w.handler_x) == [] and _kinds(w.dispatcher_x) == []


def test_the_whole_chain_writes_one_event_per_move(
    needs_world, submit, django_capture_on_commit_callbacks
):
    w = needs_world
    need = submit(item="mediation")
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.justice_x, note="请尽快")
    services.need_accept(need=need, actor=w.justice_handler)
    services.need_start(need=need, actor=w.justice_handler)
    services.need_resolve(need=need, actor=w.justice_handler, note="已调解，平台补发工资")
    with django_capture_on_commit_callbacks() as callbacks:
        services.need_rate(need=need, actor=w.worker_x, stars=5, tags=["响应及时"], comment="谢谢")
    need.refresh_from_db()
    assert need.state == S.CLOSED and need.closed_at is not None
    moves = list(need.events.values_list("action", "from_state", "to_state", "actor_role"))
    assert moves == [
        ("submit", "", "submitted", "worker"),
        ("dispatch", "submitted", "dispatched", "dispatcher"),
        ("accept", "dispatched", "accepted", "department_handler"),
        ("start", "accepted", "in_progress", "department_handler"),
        ("resolve", "in_progress", "resolved", "department_handler"),
        ("rate", "resolved", "closed", "worker"),
    ]
    accept = need.events.get(action="accept")
    assert accept.office == w.justice_x and accept.office_name == "浔阳区司法局"
    assert need.events.get(action="dispatch").office_name == "浔阳区"
    assert NeedRating.objects.get(need=need).stars == 5
    assert not NeedReview.objects.exists()
    assert "needs.accepted" in _kinds(w.worker_x) and "needs.resolved" in _kinds(w.worker_x)
    assert len(callbacks) >= 1  # the need_rated event goes out on commit


def test_domain_events_are_published_with_their_payloads(
    needs_world, submit, django_capture_on_commit_callbacks
):
    from dandelion.core import events
    from dandelion.needs.events import NeedRated, NeedResolved

    w = needs_world
    seen = []
    events.subscribe(NeedRated, seen.append)
    events.subscribe(NeedResolved, seen.append)
    try:
        need = submit()
        with django_capture_on_commit_callbacks(execute=True):
            services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
            services.need_accept(need=need, actor=w.handler_x)
            services.need_resolve(need=need, actor=w.handler_x, note="已处理")
            services.need_rate(need=need, actor=w.worker_x, stars=4)
    finally:
        events._handlers["needs.need_rated"].remove(seen.append)
        events._handlers["needs.need_resolved"].remove(seen.append)
    rated = next(e for e in seen if isinstance(e, NeedRated))
    assert (rated.need_id, rated.worker_id, rated.stars, rated.region_code) == (
        need.pk,
        w.worker_x.pk,
        4,
        "360403001",
    )
    assert rated.occurred_at == need.events.get(action="rate").created_at
    assert any(isinstance(e, NeedResolved) and e.department_id == w.office_x.pk for e in seen)


def test_decline_returns_the_need_to_the_queue_with_the_reason(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    with pytest.raises(InvalidInput):
        services.need_decline(need=need, actor=w.handler_x, reason="  ")
    services.need_decline(need=need, actor=w.handler_x, reason="不属于本部门职责")
    need.refresh_from_db()
    assert need.state == S.SUBMITTED and need.department is None
    assert need.events.last().note == "不属于本部门职责"
    assert "needs.declined" in _kinds(w.dispatcher_x)


def test_dispatchers_reroute_but_not_to_the_same_or_a_foreign_department(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    with pytest.raises(InvalidInput) as same:
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    assert same.value.code == "department_unchanged"
    with pytest.raises(InvalidInput) as foreign:
        services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_l)
    assert foreign.value.code == "department_out_of_scope"
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.justice_x)
    need.refresh_from_db()
    assert need.department == w.justice_x
    assert list(need.events.values_list("to_state", flat=True)) == [
        "submitted",
        "dispatched",
        "dispatched",
    ]


def test_a_low_rating_opens_a_review_for_the_dispatcher(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    services.need_accept(need=need, actor=w.handler_x)
    services.need_resolve(need=need, actor=w.handler_x, note="已处理")
    services.need_rate(need=need, actor=w.worker_x, stars=2, comment="没解决")
    review = NeedReview.objects.get(need=need)
    assert review.state == "open" and review.rating.stars == 2
    assert "needs.review_opened" in _kinds(w.dispatcher_x)
    with pytest.raises(PermissionDenied):
        services.review_close(review=review, actor=w.handler_x, note="看过")
    services.review_close(review=review, actor=w.dispatcher_x, note="已回访，部门再次处理")
    with pytest.raises(Conflict):
        services.review_close(review=review, actor=w.dispatcher_x, note="again")


def test_reopen_within_seven_days_starts_a_new_round(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    services.need_accept(need=need, actor=w.handler_x)
    services.need_resolve(need=need, actor=w.handler_x, note="已处理")
    services.need_rate(need=need, actor=w.worker_x, stars=1)
    later = timezone.now() + timedelta(days=6)
    services.need_reopen(need=need, actor=w.worker_x, reason="还是没发工资", now=later)
    need.refresh_from_db()
    assert need.state == S.IN_PROGRESS and need.round == 2
    assert need.resolve_due_at == later + timedelta(hours=72)
    assert "needs.reopened" in _kinds(w.handler_x)
    # The worker's words stay on the need (cleared if they delete their account), not in copies.
    copies = [n for n in Notification.objects.all() if "还是没发工资" in str(n.params)]
    assert copies == []
    services.need_resolve(need=need, actor=w.handler_x, note="已补发", now=later)
    services.need_rate(need=need, actor=w.worker_x, stars=5, now=later)
    assert list(need.ratings.order_by("round").values_list("round", "stars")) == [(1, 1), (2, 5)]


def test_reopen_after_seven_days_is_refused_naming_the_state(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=w.office_x)
    services.need_accept(need=need, actor=w.handler_x)
    services.need_resolve(need=need, actor=w.handler_x, note="已处理")
    with pytest.raises(Conflict) as caught:
        services.need_reopen(
            need=need, actor=w.worker_x, reason="x", now=timezone.now() + timedelta(days=8)
        )
    assert caught.value.code == "need_reopen_window_passed"
    assert caught.value.extra["state"] == "resolved"


def test_cancel_before_acceptance_only(needs_world, submit):
    w = needs_world
    need = submit()
    services.need_cancel(need=need, actor=w.worker_x, reason="已自行解决")
    need.refresh_from_db()
    assert need.state == S.CANCELLED and need.cancelled_at
    other = submit()
    services.need_dispatch(need=other, actor=w.dispatcher_x, department=w.office_x)
    services.need_accept(need=other, actor=w.handler_x)
    with pytest.raises(Conflict) as caught:
        services.need_cancel(need=other, actor=w.worker_x)
    assert caught.value.code == "illegal_transition"
    assert caught.value.extra == {
        "entity": "need",
        "state": "accepted",
        "action": "cancel",
        "allowed_from": ["dispatched", "submitted"],
    }
    assert str(S.ACCEPTED.label) in caught.value.message


@pytest.mark.parametrize(
    "action,state",
    [
        (action, state)
        for action, t in TRANSITIONS.items()
        for state in S.values
        if state not in t.sources
    ],
)
def test_every_illegal_move_is_a_conflict_that_names_the_state(
    needs_world, action, state, make_need_in
):
    need = make_need_in(state)
    actor = make_need_in.actor_for(action)
    before = NeedEvent.objects.filter(need=need).count()
    if need.department is None and action in ("accept", "decline", "start", "resolve"):
        # A need with no department is outside every handler's scope: refused before the state.
        expected = PermissionDenied
    else:
        expected = Conflict
    with pytest.raises(expected) as caught:
        services.need_transition(
            need=need,
            action=action,
            actor=actor,
            note="x",
            stars=3,
            department=needs_world.justice_x,
        )
    if expected is Conflict:
        assert caught.value.code == "illegal_transition"
        assert caught.value.extra["entity"] == "need"
        assert caught.value.extra["state"] == state
        assert str(S(state).label) in caught.value.message
    need.refresh_from_db()
    assert need.state == state
    assert NeedEvent.objects.filter(need=need).count() == before


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_people_without_the_permission_are_refused(needs_world, action, make_need_in):
    w = needs_world
    source = sorted(TRANSITIONS[action].sources)[0]
    need = make_need_in(source)
    allowed = make_need_in.actor_for(action)
    for outsider in (w.worker_l, w.dispatcher_l, w.handler_l, w.auditor_x, w.manager_x, w.leader_x):
        if outsider == allowed:
            continue
        with pytest.raises(PermissionDenied):
            services.need_transition(
                need=need, action=action, actor=outsider, note="x", stars=3, department=w.justice_x
            )
    need.refresh_from_db()
    assert need.state == source


def test_the_table_allows_only_known_states():
    assert {t for _, t in ALLOWED_MOVES} <= set(S.values)
    assert {s for s, _ in ALLOWED_MOVES} <= set(S.values) | {""}


def test_handler_of_a_parent_organisation_acts_for_the_child(needs_world, submit, make_user):
    from dandelion.accounts.services import role_assign
    from dandelion.orgs.services import organisation_create

    w = needs_world
    section = organisation_create(
        name="人社局劳动监察科", kind="government_department", region=w.xunyang, parent=w.office_x
    )
    need = submit()
    services.need_dispatch(need=need, actor=w.dispatcher_x, department=section)
    assert "needs.dispatched" in _kinds(w.handler_x)  # the parent office's handler hears of it
    services.need_accept(need=need, actor=w.handler_x)
    assert need.events.last().office_name == "人社局劳动监察科"
    other = make_user(name="科室经办")
    role_assign(user=other, role="department_handler", organisation=section)
    services.need_start(need=need, actor=other)


def test_a_superuser_acts_in_the_role_the_table_names(needs_world, submit, make_user):
    w = needs_world
    root = make_user(name="超级管理员")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    need = submit()
    services.need_dispatch(need=need, actor=root, department=w.office_x)
    services.need_accept(need=need, actor=root)
    roles = list(need.events.order_by("id").values_list("action", "actor_role"))
    assert roles[1:] == [("dispatch", "region_admin"), ("accept", "department_handler")]


def test_a_submitted_need_is_announced_once_on_commit(
    needs_world, submit, django_capture_on_commit_callbacks
):
    """`needs.need_submitted` (the figures count needs from it) goes out when the need is
    stored; a resend with the same key announces nothing more."""
    from dandelion.core import events
    from dandelion.needs.events import NeedSubmitted

    seen = []
    events.subscribe(NeedSubmitted, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            need = submit(item="mediation", client_token="k1")
            submit(item="mediation", client_token="k1")
    finally:
        events._handlers[NeedSubmitted.name].remove(seen.append)
    assert [(e.need_id, e.region_code, e.item) for e in seen] == [
        (need.pk, need.region.code, "labour_mediation")
    ]
