"""The needs API: roles and scopes, bad input, the problem+json shape, paging and query counts."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.needs import services
from dandelion.needs.models import Need, NeedReviewEvent

pytestmark = pytest.mark.django_db


def _post(user, path, body=None, **headers):
    return client_for(user).post(path, body or {}, content_type="application/json", **headers)


def test_worker_submits_with_answers_and_sees_the_timeline(needs_world):
    w = needs_world
    response = _post(
        w.worker_x,
        "/api/v1/needs",
        {"item": "labour_mediation", "description": "欠薪两个月", "answers": {"dispute": "wages"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["item"]["code"] == "labour_mediation"
    assert body["answers"] == [{"key": "dispute", "question": "争议类型", "answer": "拖欠工资"}]
    assert body["actions"] == ["cancel"]
    assert body["worker"] is None  # the worker does not need their own masked phone back
    assert [e["action"] for e in body["events"]] == ["submit"]


def test_submit_bad_input_is_problem_json_listing_fields(needs_world):
    w = needs_world
    response = _post(
        w.worker_x, "/api/v1/needs", {"item": "labour_mediation", "description": "x", "answers": {}}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_need"
    assert {e["field"] for e in body["errors"]} == {"description", "answers.dispute"}
    unknown = _post(w.worker_x, "/api/v1/needs", {"item": "nope", "description": "描述内容"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "item"
    schema = _post(
        w.worker_x, "/api/v1/needs", {"description": "描述", "urgency": "panic", "lat": 200}
    )
    assert schema.status_code == 422 and schema.json()["code"] == "validation_error"
    assert not Need.objects.exists()


def test_signed_out_callers_get_401(needs_world):
    response = client_for(None).get("/api/v1/needs")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_retry_with_client_token_answers_200_with_the_same_need(needs_world):
    w = needs_world
    body = {"description": "充电桩坏了", "client_token": "t-1"}
    first = _post(w.worker_x, "/api/v1/needs", body)
    again = _post(w.worker_x, "/api/v1/needs", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_the_chain_over_the_api(needs_world, submit):
    w = needs_world
    need = submit()
    path = f"/api/v1/needs/{need.pk}"
    dispatched = _post(w.dispatcher_x, f"{path}/dispatch", {"department_id": w.office_x.pk})
    assert dispatched.status_code == 200 and dispatched.json()["state"] == "dispatched"
    assert dispatched.json()["actions"] == ["dispatch"]  # re-route only
    assert _post(w.handler_x, f"{path}/accept").json()["state"] == "accepted"
    assert _post(w.handler_x, f"{path}/start").json()["state"] == "in_progress"
    missing = _post(w.handler_x, f"{path}/resolve", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "note"
    assert _post(w.handler_x, f"{path}/resolve", {"note": "已处理"}).json()["state"] == "resolved"
    rated = _post(w.worker_x, f"{path}/rate", {"stars": 5, "tags": ["响应及时"]})
    assert rated.status_code == 200
    body = rated.json()
    assert body["state"] == "closed" and body["ratings"][0]["stars"] == 5
    assert body["actions"] == ["reopen"]
    # The worker's timeline names offices, never staff members.
    names = " ".join(e["by"] for e in body["events"])
    assert "浔阳区人社局" in names and "浔阳区 · 调度员" in names
    assert "人社局经办" not in names and "浔阳调度" not in names


def test_illegal_transition_is_409_naming_the_current_state(needs_world, submit):
    w = needs_world
    need = submit()
    response = _post(w.worker_x, f"/api/v1/needs/{need.pk}/rate", {"stars": 3})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["entity"]) == ("illegal_transition", "need")
    assert body["state"] == "submitted" and "待派单" in body["detail"]
    english = _post(
        w.worker_x, f"/api/v1/needs/{need.pk}/rate", {"stars": 3}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert english["state"] == "submitted" and "Awaiting dispatch" in english["detail"]


def test_rate_out_of_range_is_422(needs_world, make_need_in):
    need = make_need_in("resolved")
    response = _post(needs_world.worker_x, f"/api/v1/needs/{need.pk}/rate", {"stars": 6})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "stars"


@pytest.mark.parametrize(
    "person,status",
    [
        ("worker_x", 200),
        ("dispatcher_x", 200),
        ("admin_x", 200),
        ("auditor_x", 200),
        ("handler_x", 200),  # routed to 浔阳区人社局
        # Those who read needs elsewhere: this one is as unknown to them as a missing id.
        ("justice_handler", 404),
        ("dispatcher_l", 404),
        ("handler_l", 404),
        ("worker_l", 403),
        ("manager_x", 403),
        ("leader_x", 403),
    ],
)
def test_who_may_read_a_dispatched_need(needs_world, make_need_in, person, status):
    need = make_need_in("dispatched")
    response = client_for(getattr(needs_world, person)).get(f"/api/v1/needs/{need.pk}")
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "permission_denied"
    if status == 404:
        assert (response.json()["code"], response.json()["entity"]) == ("not_found", "need")


@pytest.mark.parametrize("person", ["dispatcher_l", "handler_l", "justice_handler"])
def test_a_need_outside_the_callers_scope_is_refused_as_an_unknown_one(
    needs_world, make_need_in, person
):
    need = make_need_in("dispatched")
    client = client_for(getattr(needs_world, person))
    existing = client.get(f"/api/v1/needs/{need.pk}")
    unknown = client.get("/api/v1/needs/999999")
    assert existing.status_code == unknown.status_code == 404
    assert existing.json() == unknown.json()


def test_unknown_need_is_404(needs_world):
    response = client_for(needs_world.dispatcher_x).get("/api/v1/needs/999999")
    assert response.status_code == 404
    assert (response.json()["code"], response.json()["entity"]) == ("not_found", "need")


def test_lists_hold_only_rows_in_scope(needs_world, submit):
    w = needs_world
    mine = submit()
    theirs = submit(worker=w.worker_l)
    routed = submit()
    services.need_dispatch(need=routed, actor=w.dispatcher_x, department=w.justice_x)

    def ids(user, **query):
        response = client_for(user).get("/api/v1/needs", query)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["items"]}

    assert ids(w.worker_x) == {mine.pk, routed.pk}
    assert ids(w.worker_l) == {theirs.pk}
    assert ids(w.dispatcher_x) == {mine.pk, routed.pk}
    assert ids(w.dispatcher_l) == {theirs.pk}
    assert ids(w.justice_handler) == {routed.pk}
    assert ids(w.handler_x) == set()
    assert ids(w.dispatcher_x, state="submitted") == {mine.pk}
    assert ids(w.dispatcher_x, item="other") == {mine.pk, routed.pk}
    assert ids(w.dispatcher_x, overdue="true") == set()
    assert ids(w.manager_x) == set()


def test_region_filter_takes_a_city_or_province_code(needs_world, submit):
    """Needs are filed on streets (360403001); filtering by the city (360400) or the province
    (360000) means everything inside it, not only rows filed on that very code."""
    w = needs_world
    need = submit()
    client = client_for(w.dispatcher_x)
    for code in ("360000", "360400", "360403", "360403001"):
        body = client.get("/api/v1/needs", {"region": code}).json()
        assert [row["id"] for row in body["items"]] == [need.pk], code
    assert client.get("/api/v1/needs", {"region": "360402"}).json()["count"] == 0


def test_list_filters_are_validated(needs_world):
    response = client_for(needs_world.dispatcher_x).get("/api/v1/needs", {"state": "lost"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "state.0"


@pytest.mark.usefixtures("submissions_unlimited")
def test_list_query_count_does_not_grow_with_rows(
    needs_world, submit, django_assert_max_num_queries
):
    w = needs_world
    for _ in range(12):
        services.need_dispatch(need=submit(), actor=w.dispatcher_x, department=w.office_x)
    client = client_for(w.dispatcher_x)
    client.get("/api/v1/needs")  # warm the session
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/needs", {"page_size": 50}).json()
    assert body["count"] == 12 and len(body["items"]) == 12


def test_reviews_list_and_close(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("resolved")
    _post(w.worker_x, f"/api/v1/needs/{need.pk}/rate", {"stars": 1, "comment": "很差"})
    listing = client_for(w.dispatcher_x).get("/api/v1/needs/reviews").json()
    assert listing["count"] == 1 and listing["items"][0]["stars"] == 1
    assert client_for(w.dispatcher_l).get("/api/v1/needs/reviews").json()["count"] == 0
    assert client_for(w.handler_x).get("/api/v1/needs/reviews").json()["count"] == 0
    review_id = listing["items"][0]["id"]
    refused = _post(w.handler_x, f"/api/v1/needs/reviews/{review_id}/close", {"note": "x"})
    assert refused.status_code == 403
    # Another district's dispatcher closes reviews elsewhere: this one is as unknown as none.
    hidden = _post(w.dispatcher_l, f"/api/v1/needs/reviews/{review_id}/close", {"note": "x"})
    unknown = _post(w.dispatcher_l, "/api/v1/needs/reviews/999999/close", {"note": "x"})
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert (hidden.json()["code"], hidden.json()["entity"]) == ("not_found", "needreview")
    closed = _post(w.dispatcher_x, f"/api/v1/needs/reviews/{review_id}/close", {"note": "已回访"})
    assert closed.json()["state"] == "closed"
    again = _post(w.dispatcher_x, f"/api/v1/needs/reviews/{review_id}/close", {"note": "已回访"})
    assert again.status_code == 409
    body = again.json()
    assert (body["code"], body["entity"], body["state"]) == (
        "illegal_transition",
        "review",
        "closed",
    )
    events = NeedReviewEvent.objects.filter(review_id=review_id)
    assert list(events.values_list("action", "from_state", "to_state", "actor_role")) == [
        ("close", "open", "closed", "dispatcher")
    ]
