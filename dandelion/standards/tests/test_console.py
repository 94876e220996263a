"""The console pages: the queue, an assessment (input kept on a mistake), the star table with
its xlsx export, the standard editor."""

import io

from openpyxl import load_workbook

from dandelion.accounts.testing import client_for
from dandelion.standards import services
from dandelion.standards.models import Assessment, Standard
from dandelion.stations.services import station_stars_set

BASE = "/console/standards"


def test_the_queue_lists_what_waits_and_the_rounds(sw, django_assert_max_num_queries):
    services.round_open(actor=sw.admin, region_code="360403", name="2026年度评定")
    admin = client_for(sw.admin)
    with django_assert_max_num_queries(25):
        response = admin.get(f"{BASE}/", {"all": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "甘棠驿站" in page and "湓浦驿站" in page and "2026年度评定" in page
    manager = client_for(sw.manager).get(f"{BASE}/").content.decode()
    assert "甘棠驿站" in manager and "湓浦驿站" not in manager
    assert client_for(sw.worker).get(f"{BASE}/").status_code == 403


def test_the_assessment_page_keeps_input_on_a_mistake(sw):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    manager = client_for(sw.manager)
    url = f"{BASE}/assessments/{opened.pk}/"
    page = manager.get(url).content.decode()
    assert "self_points:A2" in page and "驿站设施登记" in page
    response = manager.post(
        url, {"role": "self", "self_points:A2": "9", "self_note:A2": "门头已换新"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="9"' in page and "门头已换新" in page
    response = manager.post(url, {"role": "self", "self_points:A2": "3", "self_note:A2": "ok"})
    assert response.status_code == 302
    assert opened.scores.get(indicator__code="A2").self_points == 3
    # a move the state does not allow shows on the page, nothing moves
    response = manager.post(f"{url}move/", {"action": "submit"}, follow=True)
    assert Assessment.objects.get(pk=opened.pk).state == "draft"
    assert client_for(sw.lianxi_reviewer).get(url).status_code == 404


def test_the_star_table_filters_pages_and_exports(sw, django_assert_max_num_queries):
    station_stars_set(station=sw.station, stars=4, valid_until=None, reason="t")
    admin = client_for(sw.city_admin)
    with django_assert_max_num_queries(20):
        response = admin.get(f"{BASE}/stars/", {"region": "360400", "stars": "4"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "甘棠驿站" in page and "濂溪驿站" not in page.split('id="star-table"')[1]
    response = admin.get(f"{BASE}/stars.xlsx", {"region": "360400"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 4  # the header and three stations
    assert rows[1][1] == "甘棠驿站" and rows[1][3] == 4
    assert client_for(sw.manager).get(f"{BASE}/stars/").status_code == 403


def test_the_editor_saves_validates_and_publishes(sw):
    admin = client_for(sw.city_admin)
    response = admin.post(f"{BASE}/editor/draft/", {"region": "360400"})
    draft = Standard.objects.get(region=sw.city)
    assert response.url == f"{BASE}/editor/{draft.pk}/"
    form = {"name": "九江标准", "indicator": ["A1"], "i:A1:max_points": "7"}
    response = admin.post(f"{BASE}/editor/{draft.pk}/", form)
    assert response.status_code == 422
    assert "100" in response.content.decode()
    form["i:A1:max_points"] = "6"
    form["publish"] = "1"
    response = admin.post(f"{BASE}/editor/{draft.pk}/", form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.name == "九江标准"
    assert client_for(sw.district_reviewer).get(f"{BASE}/editor/").status_code == 403


def test_the_editor_adds_an_indicator_and_keeps_it_on_a_mistake(sw):
    admin = client_for(sw.city_admin)
    admin.post(f"{BASE}/editor/draft/", {"region": "360400"})
    draft = Standard.objects.get(region=sw.city)
    form = {"new:group": "A", "new:code": "A1", "new:name": "无障碍设施", "new:max_points": "5"}
    response = admin.post(f"{BASE}/editor/{draft.pk}/", form)
    assert response.status_code == 422
    assert "无障碍设施" in response.content.decode()
    form["new:code"] = "A4"
    admin.post(f"{BASE}/editor/{draft.pk}/", form)
    assert draft.groups.get(code="A").indicators.filter(code="A4").exists()


def test_the_admin_shows_assessments_in_scope_read_only(sw):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    admin = client_for(sw.admin)
    assert admin.get("/admin/standards/assessment/").status_code == 200
    page = admin.get(f"/admin/standards/assessment/{opened.pk}/change/")
    assert page.status_code == 200 and "甘棠驿站" in page.content.decode()
    assert client_for(sw.lianxi_reviewer).get(
        f"/admin/standards/assessment/{opened.pk}/change/"
    ).status_code in (302, 404)
