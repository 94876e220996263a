"""The monthly brief: month-on-month changes, top categories, problems, and the PDF holding
the same numbers."""

import io
from datetime import date

from django.utils import translation
from pypdf import PdfReader

from dandelion.figures.brief import brief_context, brief_pdf
from dandelion.figures.periods import month_bounds, preset_bounds, previous_month
from dandelion.figures.tests.sample import sample_figures


def _brief():
    current = sample_figures(scale=2)
    previous = sample_figures(scale=1, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    return brief_context(current=current, previous=previous)


def test_the_brief_compares_with_the_previous_month():
    brief = _brief()
    rows = {row["key"]: row for row in brief["rows"]}
    visits = rows["visits.count"]
    assert (visits["value"], visits["previous"]) == (10400, 5200)
    assert visits["change"]["difference"] == 5200
    assert visits["change"]["percent"] == 100.0
    assert visits["change"]["text"] == "+5,200 (+100.0%)"
    assert rows["needs.rating_avg"]["change"]["difference"] == 0
    assert brief["month"] == "2026-11" and brief["previous_month"] == "2026-10"


def test_top_categories_are_the_largest_and_leave_out_empty_ones():
    brief = _brief()
    assert [row["key"] for row in brief["top_categories"]] == ["garbage", "parking", "manhole"]
    assert brief["top_categories"][0]["share"] == round(600 * 100 / 1168, 1)
    assert brief["problems"] == {
        "raised": 36,
        "solved": 34,
        "raised_before": 18,
        "solved_before": 17,
    }


def test_a_month_with_nothing_before_shows_no_percentage():
    current = sample_figures()
    previous = sample_figures(
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
        visits={"count": 0, "workers": 0},
    )
    rows = {row["key"]: row for row in brief_context(current=current, previous=previous)["rows"]}
    assert rows["visits.count"]["change"]["percent"] is None
    assert rows["visits.count"]["change"]["text"] == "+5,200"


def test_the_pdf_opens_and_holds_the_numbers():
    data = brief_pdf(_brief(), site_name="蒲公英")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "工作简报" in text
    assert "浔阳区" in text and "2026-11" in text
    assert "10,400" in text and "5,200" in text and "+100.0%" in text
    assert "垃圾暴露" in text
    assert "36" in text and "34" in text


def test_months_and_presets():
    assert month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    assert previous_month("2026-01") == "2025-12"
    today = date(2026, 3, 15)
    assert preset_bounds("this_month", today) == (date(2026, 3, 1), today)
    assert preset_bounds("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_bounds("this_year", today) == (date(2026, 1, 1), today)
    assert preset_bounds("nonsense", today) is None


def test_the_pdf_speaks_the_readers_language():
    with translation.override("en"):
        data = brief_pdf(_brief(), site_name="Dandelion")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Monthly brief" in text and "Headline figures" in text
    assert "Redemptions" in text and "10,400" in text
