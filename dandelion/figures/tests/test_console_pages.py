"""The figures dashboard, its exports and the monthly brief in the staff console: scoped to the
caller's regions, the page's numbers in the workbook and the CSV files, bad input kept and
explained, a bounded number of queries."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from dandelion.accounts.testing import client_for
from dandelion.core.console import sections_for
from dandelion.figures import selectors, services
from dandelion.regions.services import region_upsert

from .history import History, local

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 4, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/console/figures/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def history(world):
    """Visits in 浔阳 (March and April), a fixed report in its street, a visit in 濂溪."""
    h = History(world)
    for day in (date(2026, 3, 10), date(2026, 3, 11), date(2026, 4, 2)):
        h.visit(user=world.worker_x, station=world.station_x, at=local(day))
    h.visit(user=world.worker_l, station=world.station_x, at=local(date(2026, 4, 3)))
    h.visit(user=world.worker_l, station=world.station_l, at=local(date(2026, 4, 3)))
    h.report(region=world.street, at=local(date(2026, 4, 1), 8), fixed_at=local(date(2026, 4, 1)))
    h.report(region=world.street, at=local(date(2026, 3, 5)), category="manhole")
    h.problem(region=world.xunyang, at=local(date(2026, 4, 2)), solved_at=local(date(2026, 4, 5)))
    services.figures_rebuild()
    return h


def _tile(page, key: str) -> str:
    html = page.content.decode()
    start = html.index(f'data-tile="{key}"')
    value = html.index("figures-tile__value", start)
    return html[html.index(">", value) + 1 : html.index("<", value)]


def test_a_region_admin_sees_their_district_with_its_streets(world, history):
    page = client_for(world.admin_x).get(URL + "?from=2026-03-01&to=2026-04-15")

    assert page.status_code == 200
    assert page.context["region"] == world.xunyang
    assert _tile(page, "visits") == "4"
    assert _tile(page, "stations") == "1"
    assert _tile(page, "reports_submitted") == "2"
    html = page.content.decode()
    assert 'data-drill="360403001"' in html  # 甘棠街道, a link one level down
    assert "濂溪区" not in html
    assert "figures-chart-data" in html and "echarts.common.min.js" in html


def test_drilling_down_keeps_the_period_and_the_trail(world, history):
    page = client_for(world.admin_x).get(URL + "?region=360403001001&from=2026-03-01&to=2026-04-15")
    assert page.status_code == 200
    names = [link["region"].name for link in page.context["trail_links"]]
    assert names == ["浔阳区", "甘棠街道", "湓浦社区"]  # not 九江市, above their scope
    assert "from=2026-03-01" in page.context["trail_links"][0]["url"]


def test_a_region_outside_the_scope_is_unknown(world, history):
    assert client_for(world.admin_x).get(URL + "?region=360402").status_code == 404
    assert client_for(world.admin_x).get(URL + "?region=999999").status_code == 404
    assert client_for(world.admin_l).get(URL).context["region"] == world.lianxi


def test_the_auditor_reads_and_others_do_not(world, history):
    assert client_for(world.auditor_x).get(URL).status_code == 200
    assert client_for(world.dispatcher_x).get(URL).status_code == 403
    assert client_for(world.worker_x).get(URL).status_code == 403
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302 and "/console/login/" in anonymous["Location"]


def test_the_dashboard_is_first_for_admins_and_auditors(world):
    assert sections_for(world.admin_x)[0].key == "figures"
    assert sections_for(world.auditor_x)[0].key == "figures"
    assert "figures" not in [s.key for s in sections_for(world.dispatcher_x)]


def test_bad_dates_keep_the_input_and_say_why(world, history):
    client = client_for(world.admin_x)
    page = client.get(URL + "?from=2026-13-01&to=2026-04-15")
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="2026-13-01"' in html and 'data-error="from"' in html

    page = client.get(URL + "?from=2026-04-10&to=2026-04-01")
    assert page.status_code == 400
    assert "开始日期不能晚于结束日期" in page.content.decode()
    assert 'value="2026-04-10"' in page.content.decode()

    page = client.get(URL + "?from=2000-01-01&to=2026-04-01")
    assert page.status_code == 400 and 'data-error="from"' in page.content.decode()


def test_presets(world, history):
    client = client_for(world.admin_x)
    page = client.get(URL + "?preset=last_month")
    assert (page.context["date_from"], page.context["date_to"]) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert _tile(page, "visits") == "2"
    page = client.get(URL + "?preset=this_year")
    assert page.context["date_from"] == date(2026, 1, 1)
    assert page.context["date_to"] == date(2026, 4, 15)
    page = client.get(URL)
    assert page.context["date_from"] == date(2026, 4, 1)
    page = client.get(URL + "?preset=someday")
    assert page.status_code == 200 and page.context["date_from"] == date(2026, 4, 1)


def test_the_workbook_holds_the_pages_numbers(world, history):
    query = "?from=2026-03-01&to=2026-04-15"
    client = client_for(world.admin_x)
    page = client.get(URL + query)
    response = client.get(URL + "export.xlsx" + query)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "figures-360403-20260301-20260415.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    figures = page.context["figures"]
    overview = {row[1]: row[2] for row in book["总览"].iter_rows(min_row=2, values_only=True)}
    assert overview["打卡人次"] == figures.visits.count == 4
    assert overview["随手拍提交"] == figures.reports.submitted == 2
    regions = list(book["分地区"].iter_rows(min_row=2, values_only=True))
    assert regions[0][:3] == ("360403001", "甘棠街道", "街道/乡镇")
    months = list(book["月度趋势"].iter_rows(min_row=2, values_only=True))
    assert [m[0].date() for m in months] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert [m[5] for m in months] == [row.visits for row in figures.series] == [2, 2]
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["区划代码"] == "360403"


def test_each_table_as_csv(world, history):
    client = client_for(world.admin_x)
    response = client.get(URL + "export/reports_by_category.csv?from=2026-03-01&to=2026-04-15")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["代码", "类别", "数量"]
    assert sorted(rows[1:]) == [["garbage", "垃圾堆放", "1"], ["manhole", "井盖破损", "1"]]
    assert client.get(URL + "export/nonsense.csv").status_code == 404
    assert client.get(URL + "export/series.csv?region=360402").status_code == 404
    assert client.get(URL + "export/series.csv?from=nope").status_code == 400


def test_the_brief_page_and_pdf(world, history):
    client = client_for(world.admin_x)
    page = client.get(URL + "brief/?month=2026-04")
    assert page.status_code == 200
    rows = {row["key"]: row for row in page.context["brief"]["rows"]}
    assert (rows["visits.count"]["value"], rows["visits.count"]["previous"]) == (2, 2)
    assert rows["reports.submitted"]["change"]["text"] == "0 (0.0%)"
    assert page.context["brief"]["problems"]["raised"] == 1
    assert "brief.pdf?region=360403&amp;month=2026-04" in page.content.decode()

    pdf = client.get(URL + "brief.pdf?month=2026-04")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "工作简报" in text and "浔阳区" in text and "2026-04" in text
    assert "本月提出问题 1 个，解决 1 个" in text


def test_the_brief_defaults_to_last_month_and_refuses_bad_months(world, history):
    client = client_for(world.admin_x)
    assert client.get(URL + "brief/").context["brief"]["month"] == "2026-03"
    page = client.get(URL + "brief/?month=2026-4")
    assert page.status_code == 400 and 'value="2026-4"' in page.content.decode()
    assert client.get(URL + "brief/?month=2026-05").status_code == 400
    assert client.get(URL + "brief/?month=0001-01").status_code == 400
    assert client.get(URL + "brief/?month=0000-01").status_code == 400
    assert client.get(URL + "brief.pdf?month=2026-05").status_code == 400
    assert client.get(URL + "brief/?region=360402").status_code == 404


def test_the_page_speaks_english(world, history):
    client = client_for(world.admin_x)
    page = client.get(URL + "?from=2026-03-01&to=2026-04-15", HTTP_ACCEPT_LANGUAGE="en")
    assert "Visits" in page.content.decode()
    book = load_workbook(
        io.BytesIO(client.get(URL + "export.xlsx", HTTP_ACCEPT_LANGUAGE="en").content)
    )
    assert "Overview" in book.sheetnames


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_regions(world, history):
    client = client_for(world.admin_x)
    client.get(URL)  # sessions and permission loaders warm up
    pages = [
        URL + "?from=2026-01-01&to=2026-04-15",
        URL + "export.xlsx",
        URL + "brief/?month=2026-04",
    ]
    before = [_queries(client, url) for url in pages]
    h = History(world)
    for n in range(2, 7):
        street = region_upsert(code=f"360403{n:03d}", name=f"街道{n}", parent=world.xunyang)
        community = region_upsert(code=f"{street.code}001", name=f"社区{n}", parent=street)
        h.report(region=community, at=local(date(2026, 4, 1)))
    services.figures_rebuild()
    after = [_queries(client, url) for url in pages]
    assert after == before
    assert max(before[:2]) <= 20 and before[2] <= 30


def test_the_page_matches_the_selector(world, history):
    page = client_for(world.admin_x).get(URL + "?from=2026-03-01&to=2026-04-15")
    direct = selectors.figures_compute(
        region=world.xunyang, date_from=date(2026, 3, 1), date_to=date(2026, 4, 15)
    )
    assert page.context["figures"] == direct
