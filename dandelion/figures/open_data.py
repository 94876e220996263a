"""Open data (公开数据): the aggregate figures anyone may read, for a region and a whole month,
published so that they identify nobody.

The rule, defined here once and used by the API, the page and the CSV: at community level
(社区/村, the smallest division, where a handful of people can be told apart) a **people-figure**
— a count of persons: workers registered, distinct workers who visited, volunteers, party
members, people served — below `SUPPRESS_BELOW` is withheld: its value is null and it carries
`suppressed: true` with the note. Counts of events (visits, reports, hours) and of places are
published as they are. Periods are whole months, so two overlapping periods cannot be
subtracted to single someone out.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, field_error

from . import dashboard_selectors, selectors
from .exports import FIGURES, HEADLINE, INT, NUMBER, TEXT, Column, Table, figure_value, level_label
from .periods import last_complete_month, month_bounds, month_too_old
from .schemas import FiguresOut

SUPPRESS_BELOW = 5
SUPPRESSED_LEVELS = frozenset({"community"})
# Figures that count persons: `section.name` of FiguresOut, and the headline keys.
PEOPLE_FIGURES = frozenset(
    {
        "workers.registered",
        "workers.registered_in_period",
        "visits.workers",
        "volunteering.volunteers",
        "party.members_identified",
        "party.reregistered",
        "station_services.people_served",
        "workers_registered",
    }
)
# Breakdowns published beside the figures (none of them counts persons).
OPEN_BREAKDOWNS = (
    ("reports_by_category", "reports", "by_category", _("随手拍（按类别）")),
    ("stations_by_kind", "stations", "by_kind", _("驿站（按类型）")),
)
SUPPRESSION_NOTE = _("为保护个人信息，社区一级少于 5 人的人数类数据不公开。")


def suppressed(*, key: str, level: str, value) -> bool:
    """The one rule: is this figure withheld at this level?"""
    return (
        key in PEOPLE_FIGURES
        and level in SUPPRESSED_LEVELS
        and value is not None
        and value < SUPPRESS_BELOW
    )


@dataclass(frozen=True)
class OpenValue:
    key: str
    label: str
    value: int | float | None
    suppressed: bool


def _open(key: str, label, level: str, value) -> OpenValue:
    hidden = suppressed(key=key, level=level, value=value)
    return OpenValue(key, str(label), None if hidden else value, hidden)


def open_figures(figures: FiguresOut) -> dict:
    """The public view of `figures`: every single-number figure, the headline numbers of each
    child region, and the breakdowns that count no persons, with the rule applied."""
    level = figures.level
    values = [
        _open(path, label, level, figure_value(figures, path))
        for path, label in FIGURES
        if getattr(figures, path.split(".")[0]) is not None
    ]
    by_region = [
        {
            "region": {"code": row.region.code, "name": row.region.name},
            "level": row.level,
            "level_label": level_label(row.level),
            "figures": [
                _open(key, label, row.level, getattr(row, key)) for key, label, _kind in HEADLINE
            ],
        }
        for row in figures.by_region
    ]
    breakdowns = []
    for key, section, attribute, title in OPEN_BREAKDOWNS:
        part = getattr(figures, section)
        rows = getattr(part, attribute) if part is not None else None
        if rows is not None:
            breakdowns.append({"key": key, "title": str(title), "rows": rows})
    return {
        "region": {"code": figures.region.code, "name": figures.region.name},
        "level": level,
        "level_label": level_label(level),
        "date_from": figures.date_from,
        "date_to": figures.date_to,
        "month": figures.date_from.strftime("%Y-%m"),
        "suppress_below": SUPPRESS_BELOW,
        "note": str(SUPPRESSION_NOTE),
        "figures": values,
        "by_region": by_region,
        "breakdowns": breakdowns,
    }


def open_month(*, region, month: str | None) -> tuple[date, date]:
    """The days of `month` (YYYY-MM; default the last complete month in the region's time
    zone). Only months that have ended are published."""
    today = timezone.localdate(timezone=ZoneInfo(region.timezone or settings.TIME_ZONE))
    month = month or last_complete_month(today)
    if month_too_old(month, today):
        message = _("只公开近十年的数据。")
    elif (bounds := month_bounds(month))[1] >= today:
        message = _("只公开已经结束的月份的数据。")
    else:
        return bounds
    raise InvalidInput(message, errors=[field_error("month", CoreError.INVALID_INPUT, message)])


def open_data_get(*, region_code: str | None, month: str | None) -> dict:
    """The open data of a region (default: the widest region there is) for a whole month:
    anyone may read it."""
    region = dashboard_selectors.public_region(code=region_code)
    if region is None:
        raise dashboard_selectors.no_regions()
    first, last = open_month(region=region, month=month)
    return open_figures(selectors.figures_compute(region=region, date_from=first, date_to=last))


def open_tables(data: dict) -> list[Table]:
    """The open data as tables for the page and the CSV files; a withheld figure is an empty
    cell, said so beside it."""
    withheld = str(_("少于 %(n)s 人，不公开") % {"n": SUPPRESS_BELOW})
    figures = Table(
        "figures",
        str(_("主要数据")),
        [
            Column("figure", str(_("指标")), TEXT),
            Column("value", str(_("数值")), NUMBER),
            Column("note", str(_("说明")), TEXT),
        ],
    )
    figures.rows = [[v.label, v.value, withheld if v.suppressed else ""] for v in data["figures"]]
    by_region = Table(
        "by_region",
        str(_("分地区")),
        [
            Column("code", str(_("区划代码")), TEXT),
            Column("region", str(_("地区")), TEXT),
            Column("level", str(_("级别")), TEXT),
            *(Column(key, str(label), kind) for key, label, kind in HEADLINE),
        ],
    )
    by_region.rows = [
        [row["region"]["code"], row["region"]["name"], row["level_label"]]
        + [v.value for v in row["figures"]]
        for row in data["by_region"]
    ]
    tables = [figures, by_region]
    for breakdown in data["breakdowns"]:
        table = Table(
            breakdown["key"],
            breakdown["title"],
            [
                Column("key", str(_("代码")), TEXT),
                Column("label", str(_("类别")), TEXT),
                Column("value", str(_("数量")), INT),
            ],
        )
        table.rows = [[row.key, row.label, row.value] for row in breakdown["rows"]]
        tables.append(table)
    return tables
