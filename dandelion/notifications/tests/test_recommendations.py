"""为我推荐: volunteers are told of wishes (and activities) near them as they are published,
once each, and each may switch every kind of recommendation off; their own affairs always
arrive."""

import pytest
from django.utils.translation import gettext_lazy

from dandelion.accounts.services import worker_profile_update
from dandelion.accounts.testing import client_for
from dandelion.core.errors import InvalidInput
from dandelion.needs.services import wish_create
from dandelion.notifications import selectors, services
from dandelion.notifications.kinds import register_kind
from dandelion.notifications.models import KindPreference, Notification
from dandelion.regions.services import region_upsert

pytestmark = pytest.mark.django_db

register_kind("tests.own_affair", title=gettext_lazy("你的诉求有进展"))


@pytest.fixture
def volunteer(make_worker):
    def make(*, street=None, skills=(), **fields):
        user = make_worker(street=street, **fields)
        worker_profile_update(user=user, changes={"is_volunteer": True, "skills": list(skills)})
        return user

    return make


@pytest.fixture
def lianxi_street(jiujiang):
    return region_upsert(code="360402001", name="十里街道", parent=jiujiang["lianxi"])


def test_matching_is_volunteers_of_the_district_with_a_wanted_skill(
    jiujiang, volunteer, make_worker, lianxi_street
):
    first_aid = volunteer(skills=["急救"])
    any_skill = volunteer(skills=["理发"])
    volunteer(street=lianxi_street, skills=["急救"])  # another district
    make_worker()  # not a volunteer
    street = jiujiang["street"].code
    assert set(selectors.workers_matching(region_code=street)) == {first_aid.pk, any_skill.pk}
    assert selectors.workers_matching(region_code=street, skills=["急救"]) == [first_aid.pk]
    # A community's code reaches its district too.
    assert first_aid.pk in selectors.workers_matching(region_code=jiujiang["community"].code)


def test_a_new_wish_is_recommended_to_volunteers_nearby_but_not_the_wisher(
    jiujiang, volunteer, make_worker, lianxi_street, django_capture_on_commit_callbacks
):
    near, far = volunteer(), volunteer(street=lianxi_street)
    wisher = volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        wish = wish_create(worker=wisher, title="想要一个充电宝")
    told = Notification.objects.filter(kind="recommend.wish")
    assert set(told.values_list("recipient_id", flat=True)) == {near.pk}
    note = told.get()
    assert note.url == f"/wishes/{wish.pk}/" or note.url.endswith(f"/{wish.pk}/")
    title, body = selectors.notification_payload(note)["title"], note.params["region"]
    assert title == "附近有新的微心愿：想要一个充电宝"
    assert body == "甘棠街道"
    assert far.pk not in told.values_list("recipient_id", flat=True)


def test_a_recommendation_is_sent_once_however_often_its_event_arrives(jiujiang, volunteer):
    person = volunteer()
    for _ in range(2):
        services.recommendation_send(
            kind="recommend.wish",
            region_code=jiujiang["street"].code,
            params={"title": "x", "region": "y"},
            url="/wishes/1/",
        )
    assert Notification.objects.filter(recipient=person, kind="recommend.wish").count() == 1


def test_switching_a_recommendation_off_stops_it_and_on_again_restarts_it(jiujiang, volunteer):
    person = volunteer()

    def offer(url):
        return services.recommendation_send(
            kind="recommend.wish", region_code=jiujiang["street"].code, url=url
        )

    services.kind_preference_set(user=person, kind="recommend.wish", enabled=False)
    assert offer("/wishes/1/") == []
    # Activities are recommendations too, sent by the volunteering app.
    assert (
        services.notification_send(recipients=[person], kind="volunteering.activity_published")
        != []
    )
    services.kind_preference_set(user=person, kind="volunteering.activity_published", enabled=False)
    assert (
        services.notification_send(recipients=[person], kind="volunteering.activity_published")
        == []
    )
    services.kind_preference_set(user=person, kind="recommend.wish", enabled=True)
    assert [n.recipient_id for n in offer("/wishes/2/")] == [person.pk]


def test_ones_own_affairs_cannot_be_switched_off(make_user):
    person = make_user()
    with pytest.raises(InvalidInput) as caught:
        services.kind_preference_set(user=person, kind="tests.own_affair", enabled=False)
    assert caught.value.code == "notification_kind_not_optional"
    with pytest.raises(InvalidInput):
        services.kind_preference_set(user=person, kind="nobody.registered", enabled=False)
    assert not KindPreference.objects.exists()


def test_the_settings_page_switches_kinds_and_keeps_the_rest(volunteer):
    person = volunteer()
    client = client_for(person)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="recommend.wish" checked' in html
    assert "附近的微心愿" in html and "新的志愿活动" in html
    # Only the activity switch left on: wishes are switched off.
    answer = client.post(
        "/notifications/settings/", {"kinds": ["volunteering.activity_published"]}, follow=True
    )
    assert "通知设置已保存。" in answer.content.decode()
    assert {p["kind"]: p["enabled"] for p in selectors.kind_preferences(user=person)} == {
        "recommend.wish": False,
        "volunteering.activity_published": True,
    }
    assert client_for(None).get("/notifications/settings/").status_code == 302


def test_the_recommendations_page_lists_only_recommendations(
    jiujiang, volunteer, django_assert_max_num_queries
):
    person = volunteer()
    services.notification_send(recipients=[person], kind="tests.own_affair")
    for n in range(3):
        services.recommendation_send(
            kind="recommend.wish",
            region_code=jiujiang["street"].code,
            params={"title": f"心愿{n}", "region": "甘棠街道"},
            url=f"/wishes/{n}/",
        )
    client = client_for(person)
    with django_assert_max_num_queries(12):
        page = client.get("/notifications/for-me/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("附近有新的微心愿") == 3
    assert "你的诉求有进展" not in html
    assert client_for(None).get("/notifications/for-me/").status_code == 302


def test_the_English_page_is_in_English(volunteer, jiujiang):
    person = volunteer()
    services.recommendation_send(
        kind="recommend.wish",
        region_code=jiujiang["street"].code,
        params={"title": "A power bank", "region": "Gantang"},
        url="/wishes/9/",
    )
    client = client_for(person)
    client.cookies["django_language"] = "en"
    html = client.get("/notifications/for-me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recommended for me" in html
    assert "New wish nearby: A power bank" in html


def test_preferences_are_exported_and_deleted_with_the_account(volunteer):
    person = volunteer()
    services.kind_preference_set(user=person, kind="recommend.wish", enabled=False)
    assert services.preferences_export(person) == {"recommend.wish": False}
    services.person_anonymise(person, None, None)
    assert not KindPreference.objects.filter(user=person).exists()
