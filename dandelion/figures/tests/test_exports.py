"""The figures as tables, a workbook and CSV files: typed cells, headers in the reader's
language, every table one sheet."""

import csv
import io
from datetime import date, datetime

from django.utils import translation
from openpyxl import load_workbook

from dandelion.figures.exports import csv_bytes, figures_tables, table_by_key, workbook_bytes
from dandelion.figures.tests.sample import sample_figures


def _workbook(tables):
    data = workbook_bytes(tables, about=[("地区", "浔阳区"), ("起始日", date(2026, 11, 1))])
    return load_workbook(io.BytesIO(data))


def test_every_table_is_a_sheet_with_typed_cells():
    tables = figures_tables(sample_figures())
    book = _workbook(tables)

    assert book.sheetnames[: len(tables)] == [t.title for t in tables]
    assert book.sheetnames[-1] == "说明"
    overview = book["总览"]
    assert [c.value for c in overview[1]] == ["板块", "指标", "数值"]
    values = {row[1]: row[2] for row in overview.iter_rows(min_row=2, values_only=True)}
    assert values["驿站总数"] == 183
    assert values["志愿服务时长（小时）"] == 37000.0
    assert values["平均评分"] == 4.6

    series = book["月度趋势"]
    month, first, last = (c.value for c in series[2][:3])
    assert isinstance(month, datetime) and month.date() == date(2026, 11, 1)
    assert series["A2"].number_format == "yyyy-mm"
    assert last.date() == date(2026, 11, 30) and first.date() == date(2026, 11, 1)

    regions = book["分地区"]
    rows = list(regions.iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("360403001", "湓浦街道", "街道/乡镇", 3)
    assert isinstance(rows[0][0], str)  # division codes stay text
    assert rows[1][regions.max_column - 3] == 3.0


def test_sheet_names_are_legal_and_distinct():
    tables = figures_tables(sample_figures())
    tables[0].title = "a/b:c" * 10
    tables[1].title = "a/b:c" * 10
    book = _workbook(tables[:2])
    first, second = book.sheetnames[:2]
    assert first != second and len(first) <= 31 and len(second) <= 31
    assert "/" not in first and ":" not in first


def test_csv_has_a_byte_order_mark_and_the_same_numbers():
    table = table_by_key(figures_tables(sample_figures()), "series")
    data = csv_bytes(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "起始日", "截止日"]
    assert rows[1][:4] == ["2026-11", "2026-11-01", "2026-11-30", "9"]


def test_an_absent_section_is_left_out():
    figures = sample_figures()
    tables = figures_tables(figures)
    assert table_by_key(tables, "stations_by_stars") is None
    overview = table_by_key(tables, "overview")
    assert all(row[0] != "驿站服务" for row in overview.rows)


def test_headers_follow_the_language():
    with translation.override("en"):
        tables = figures_tables(sample_figures())
        book = _workbook(tables)
    assert "Overview" in book.sheetnames
    assert [c.value for c in book["Overview"][1]] == ["Section", "Indicator", "Value"]
