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

from django.utils.translation import gettext_lazy as _

from .exports import FIGURES, HEADLINE, figure_value, level_label
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
