"""The public menu, the answers check and the admin's scope."""

import pytest
from django.test import Client

from dandelion.accounts.testing import client_for
from dandelion.catalog.models import ServiceItem
from dandelion.catalog.questions import answers_validate
from dandelion.catalog.services import category_upsert, item_create
from dandelion.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_catalog_lists_items_serving_the_region_by_category_order(menu, jiujiang):
    body = Client().get("/api/v1/catalog", {"region": jiujiang["street"].code}).json()
    assert [c["code"] for c in body] == ["life", "legal"]
    legal = body[1]
    assert [i["code"] for i in legal["items"]] == ["labour_mediation"]
    mediation = legal["items"][0]
    assert mediation["accept_hours"] == 4
    assert [q["key"] for q in mediation["questions"]] == ["dispute", "amount", "since", "platforms"]
    assert mediation["questions"][0]["choices"][0] == {"value": "wages", "label": "拖欠工资"}


def test_catalog_leaves_out_items_not_serving_the_region(menu, lianxi_street):
    body = Client().get("/api/v1/catalog", {"region": lianxi_street.code}).json()
    # Mediation serves 浔阳区 only; charging serves the whole city.
    assert [i["code"] for c in body for i in c["items"]] == ["ebike_charging"]


def test_catalog_in_english(menu, jiujiang):
    body = (
        Client()
        .get("/api/v1/catalog", {"region": jiujiang["street"].code}, HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert body[1]["name"] == "Legal services"
    assert body[1]["items"][0]["questions"][0]["label"] == "Kind of dispute"
    assert body[1]["items"][0]["questions"][0]["choices"][1]["label"] == "Work injury"


def test_catalog_hides_inactive_items(menu, jiujiang):
    ServiceItem.objects.filter(code="ebike_charging").update(is_active=False)
    body = Client().get("/api/v1/catalog").json()
    assert [i["code"] for c in body for i in c["items"]] == ["labour_mediation"]


def test_catalog_bad_and_unknown_region(menu):
    bad = Client().get("/api/v1/catalog", {"region": "36x"})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "region"
    unknown = Client().get("/api/v1/catalog", {"region": "999999"})
    assert unknown.status_code == 404
    assert (unknown.json()["code"], unknown.json()["entity"]) == ("not_found", "region")


@pytest.mark.parametrize("extra", [1, 5])
def test_catalog_query_count_does_not_grow_with_the_menu(
    menu, jiujiang, django_assert_num_queries, extra
):
    for n in range(extra):
        item_create(
            category=menu["life"],
            code=f"extra_{n}",
            name=f"事项{n}",
            region=jiujiang["xunyang"],
            questions=[{"key": "note", "label": "备注"}],
        )
    # region exists? + items + providers + questions
    with django_assert_num_queries(4):
        body = Client().get("/api/v1/catalog", {"region": jiujiang["street"].code}).json()
    assert sum(len(c["items"]) for c in body) == 2 + extra


def test_item_get(menu):
    response = Client().get("/api/v1/catalog/items/labour_mediation")
    assert response.status_code == 200
    assert response.json()["name"] == "劳动争议调解"
    missing = Client().get("/api/v1/catalog/items/nope").json()
    assert (missing["code"], missing["entity"]) == ("not_found", "service_item")


def test_answers_are_typed_and_checked(menu):
    questions = list(menu["mediation"].questions.all())
    clean = answers_validate(
        questions=questions,
        answers={
            "dispute": "wages",
            "amount": "1200.50",
            "since": "2026-01-05",
            "platforms": ["eleme", "meituan"],
        },
    )
    assert clean == {
        "dispute": "wages",
        "amount": 1200.5,
        "since": "2026-01-05",
        "platforms": ["meituan", "eleme"],
    }
    with pytest.raises(InvalidInput) as caught:
        answers_validate(
            questions=questions,
            answers={"amount": "lots", "since": "5/1", "platforms": ["uber"], "extra": 1},
        )
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {
        "answers.extra",
        "answers.dispute",
        "answers.amount",
        "answers.since",
        "answers.platforms",
    }


def test_choice_questions_need_two_distinct_choices(menu, jiujiang):
    with pytest.raises(InvalidInput) as caught:
        item_create(
            category=menu["legal"],
            code="bad_item",
            name="坏事项",
            region=jiujiang["xunyang"],
            questions=[
                {
                    "key": "pick",
                    "label": "选",
                    "kind": "single",
                    "choices": [{"value": "a", "label": "A"}],
                }
            ],
        )
    assert caught.value.code == "invalid_question"
    assert not ServiceItem.objects.filter(code="bad_item").exists()


def test_item_deadlines_must_be_ordered(menu, jiujiang):
    with pytest.raises(InvalidInput):
        item_create(
            category=menu["legal"],
            code="too_fast",
            name="事项",
            region=jiujiang["xunyang"],
            accept_hours=10,
            resolve_hours=5,
        )


def test_category_upsert_is_idempotent(db):
    first, created = category_upsert(code="other", name="其他")
    again, created_again = category_upsert(code="other", name="其他")
    assert created and not created_again and first.pk == again.pk


def test_region_admin_edits_only_items_of_their_region(menu, world):
    lianxi_item = item_create(
        category=menu["legal"], code="lianxi_only", name="濂溪事项", region=world.lianxi
    )
    world.admin_x.is_staff = True
    world.admin_x.save()
    client = client_for(world.admin_x)
    listing = client.get("/admin/catalog/serviceitem/")
    assert listing.status_code == 200
    assert "劳动争议调解" in listing.content.decode()
    assert "濂溪事项" not in listing.content.decode()
    assert client.get(f"/admin/catalog/serviceitem/{lianxi_item.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    # The region field only offers regions inside their scope.
    add = client.get("/admin/catalog/serviceitem/add/").content.decode()
    assert "浔阳区" in add and "濂溪区 (360402)" not in add
    # An item's questions are part of it: whoever edits the item edits them.
    mine = ServiceItem.objects.get(name="劳动争议调解")
    page = client.get(f"/admin/catalog/serviceitem/{mine.pk}/change/")
    assert 'name="questions-TOTAL_FORMS"' in page.content.decode()


def test_workers_have_no_catalog_admin(menu, world):
    world.worker_x.is_staff = True  # even with the flag, no role means no module
    world.worker_x.save()
    assert client_for(world.worker_x).get("/admin/catalog/serviceitem/").status_code == 403
