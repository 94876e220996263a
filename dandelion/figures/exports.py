"""The figures as tables: what the dashboard shows, the workbook (xlsx, one sheet per table) and
the CSV files hold. A table is built once from a `FiguresOut` (`figures_tables`), so the page,
the workbook and the CSV always carry the same numbers.

Cells are typed: counts are integers, hours and averages floats, days `date`s, months the first
day of the month shown as YYYY-MM, division codes text (so a spreadsheet keeps them whole).
Headers are in the reader's language (the language active when the table is built).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dandelion.regions.selectors import RegionLevel

from .schemas import FiguresOut

TEXT, INT, FLOAT, DATE, MONTH, NUMBER = "text", "int", "float", "date", "month", "number"

# The headline numbers, in the order the tiles, the tables and the charts show them.
HEADLINE = (
    ("stations", pgettext_lazy("figures", "驿站"), INT),
    ("workers_registered", _("报到人数"), INT),
    ("visits", _("打卡人次"), INT),
    ("needs_submitted", _("点单"), INT),
    ("needs_resolved", _("点单办结"), INT),
    ("reports_submitted", pgettext_lazy("figures", "随手拍"), INT),
    ("reports_fixed", _("随手拍已修复"), INT),
    ("volunteer_hours", _("志愿服务时长（小时）"), FLOAT),
    ("points_issued", _("发放积分"), INT),
    ("redemptions", pgettext_lazy("figures", "积分兑换"), INT),
)

# Where each headline number is in the region's own figures (the tiles).
HEADLINE_PATHS = {
    "stations": "stations.total",
    "workers_registered": "workers.registered",
    "visits": "visits.count",
    "needs_submitted": "needs.submitted",
    "needs_resolved": "needs.resolved",
    "reports_submitted": "reports.submitted",
    "reports_fixed": "reports.fixed",
    "volunteer_hours": "volunteering.hours",
    "points_issued": "points.issued",
    "redemptions": "points.redemptions",
}

SECTIONS = {
    "stations": pgettext_lazy("figures", "驿站"),
    "partners": _("爱心商铺等合作点位"),
    "workers": _("报到"),
    "visits": pgettext_lazy("figures", "打卡"),
    "needs": _("点单"),
    "wishes": pgettext_lazy("figures", "微心愿"),
    "problems": pgettext_lazy("figures", "会商问题"),
    "reports": pgettext_lazy("figures", "随手拍"),
    "volunteering": _("志愿服务"),
    "points": _("积分"),
    "party": pgettext_lazy("figures", "党员"),
    "station_services": _("驿站服务"),
}

# Every single-number figure, as `section.name`, with its label.
FIGURES = (
    ("stations.total", _("驿站总数")),
    ("stations.open_24h", _("24小时开放驿站")),
    ("partners.total", pgettext_lazy("figures", "合作点位")),
    ("workers.registered", _("累计报到人数")),
    ("workers.registered_in_period", _("期内新报到")),
    ("visits.count", _("打卡人次")),
    ("visits.workers", _("打卡人数")),
    ("needs.submitted", _("点单数")),
    ("needs.resolved", _("办结数")),
    ("needs.resolved_on_time", _("按时办结")),
    ("needs.ratings", _("评单数")),
    ("needs.rating_avg", _("平均评分")),
    ("wishes.posted", _("微心愿发布")),
    ("wishes.fulfilled", _("微心愿实现")),
    ("problems.raised", _("问题提出")),
    ("problems.solved", _("问题解决")),
    ("reports.submitted", _("随手拍提交")),
    ("reports.fixed", _("随手拍已修复")),
    ("reports.median_hours_to_fix", _("修复用时中位数（小时）")),
    ("volunteering.teams", pgettext_lazy("figures", "志愿服务队")),
    ("volunteering.volunteers", _("志愿者人数")),
    ("volunteering.activities", _("志愿活动")),
    ("volunteering.hours", _("志愿服务时长（小时）")),
    ("points.issued", _("发放积分")),
    ("points.redeemed", _("兑换使用积分")),
    ("points.redemptions", _("兑换次数")),
    ("party.members_identified", _("党员人数")),
    ("party.reregistered", _("流动党员归队")),
    ("party.branches", pgettext_lazy("figures", "党支部")),
    ("station_services.events", _("驿站服务次数")),
    ("station_services.people_served", _("驿站服务人次")),
    ("station_services.bottles", _("送出饮用水（瓶）")),
)

# The breakdowns the page shows as tables, as (key, section, attribute, title).
BREAKDOWNS = (
    ("reports_by_category", "reports", "by_category", _("随手拍（按类别）")),
    ("reports_by_status", "reports", "by_status", _("随手拍（按状态）")),
    ("needs_by_item", "needs", "by_item", _("点单（按服务项目）")),
    ("stations_by_kind", "stations", "by_kind", _("驿站（按类型）")),
    ("stations_by_origin", "stations", "by_origin", _("驿站（按来源）")),
    ("stations_by_stars", "stations", "by_stars", _("驿站（按星级）")),
    ("partners_by_kind", "partners", "by_kind", _("合作点位（按类型）")),
    ("workers_by_occupation", "workers", "by_occupation", _("报到人数（按职业）")),
)


def level_label(level: str) -> str:
    """The level's name in the reader's language (区/县, 街道/乡镇…)."""
    try:
        return str(RegionLevel(level).label)
    except ValueError:
        return level


def figure_value(figures: FiguresOut, path: str):
    """The value of `section.name` (None when the section is absent)."""
    section, name = path.split(".")
    part = getattr(figures, section)
    return None if part is None else getattr(part, name)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [str(c.label) for c in self.columns]

    @property
    def display_rows(self) -> list[list[dict]]:
        """The rows as the page prints them: `{text, numeric}` per cell."""
        return [
            [
                {"text": cell_text(value, column.kind), "numeric": column.kind in NUMERIC}
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]


NUMERIC = frozenset({INT, FLOAT, NUMBER})


def cell_text(value, kind: str) -> str:
    """A cell as text: thousands grouped, hours to one decimal, months as YYYY-MM."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:,.1f}" if kind in (FLOAT, NUMBER) else str(value)
    if isinstance(value, int):
        return f"{value:,}" if kind in NUMERIC else str(value)
    if kind == MONTH and isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _headline_columns() -> list[Column]:
    return [Column(key, str(label), kind) for key, label, kind in HEADLINE]


def _month_start(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def overview_table(figures: FiguresOut) -> Table:
    table = Table(
        "overview",
        str(_("总览")),
        [
            Column("section", str(_("板块")), TEXT),
            Column("figure", str(_("指标")), TEXT),
            Column("value", str(_("数值")), NUMBER),
        ],
    )
    for path, label in FIGURES:
        section = path.split(".")[0]
        if getattr(figures, section) is None:
            continue
        table.rows.append([str(SECTIONS[section]), str(label), figure_value(figures, path)])
    return table


def by_region_table(figures: FiguresOut) -> Table:
    table = Table(
        "by_region",
        str(_("分地区")),
        [
            Column("code", str(_("区划代码")), TEXT),
            Column("region", str(_("地区")), TEXT),
            Column("level", str(_("级别")), TEXT),
            *_headline_columns(),
        ],
    )
    for row in figures.by_region:
        table.rows.append(
            [row.region.code, row.region.name, level_label(row.level)]
            + [getattr(row, key) for key, _label, _kind in HEADLINE]
        )
    return table


def series_table(figures: FiguresOut) -> Table:
    table = Table(
        "series",
        str(_("月度趋势")),
        [
            Column("month", str(_("月份")), MONTH),
            Column("date_from", str(_("起始日")), DATE),
            Column("date_to", str(_("截止日")), DATE),
            *_headline_columns(),
        ],
    )
    for row in figures.series:
        table.rows.append(
            [_month_start(row.month), row.date_from, row.date_to]
            + [getattr(row, key) for key, _label, _kind in HEADLINE]
        )
    return table


def breakdown_tables(figures: FiguresOut) -> list[Table]:
    tables = []
    for key, section, attribute, title in BREAKDOWNS:
        part = getattr(figures, section)
        rows = getattr(part, attribute) if part is not None else None
        if rows is None:
            continue
        table = Table(
            key,
            str(title),
            [
                Column("key", str(_("代码")), TEXT),
                Column("label", str(_("类别")), TEXT),
                Column("value", str(_("数量")), INT),
            ],
        )
        table.rows = [[row.key, row.label, row.value] for row in rows]
        tables.append(table)
    return tables


def figures_tables(figures: FiguresOut) -> list[Table]:
    """Every table the dashboard shows, in its order."""
    return [
        overview_table(figures),
        series_table(figures),
        by_region_table(figures),
        *breakdown_tables(figures),
    ]


def table_by_key(tables: Iterable[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


# Excel refuses these in a sheet's name, and names longer than 31 characters.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(_SHEET_FORBIDDEN)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def workbook_bytes(tables: list[Table], *, about: list[tuple[str, object]]) -> bytes:
    """An xlsx workbook: one sheet per table (headers in bold, typed cells), then a sheet
    saying which region and period the numbers are for (`about`: label, value pairs)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(row)
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            width = max(len(str(column.label)) * 2 + 2, 10)
            if column.kind == TEXT:
                width = max(width, 16)
            sheet.column_dimensions[letter].width = min(width, 40)
            number_format = {
                DATE: "yyyy-mm-dd",
                MONTH: "yyyy-mm",
                FLOAT: "0.0",
                INT: "0",
            }.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
    sheet = workbook.create_sheet(_sheet_title(str(_("说明")), taken))
    for label, value in about:
        sheet.append([str(label), value])
        if isinstance(value, date):
            sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value, kind: str):
    if value is None:
        return ""
    if kind == MONTH and isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_bytes(table: Table) -> bytes:
    """One table as CSV: UTF-8 with a byte-order mark, so Excel reads the Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(
            [
                _csv_cell(value, column.kind)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
