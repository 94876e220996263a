"""Periods the pages offer: whole months, and the picker's presets (this month, last month,
this year), all in days of the region's time zone (Asia/Shanghai by default)."""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

PRESETS = (
    ("this_month", _("本月")),
    ("last_month", _("上月")),
    ("this_year", _("今年")),
)


# How far back the month pages reach (the figures API's longest period, in whole years).
MONTHS_BACK_YEARS = 10


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of `YYYY-MM` (ValueError for a month no calendar has, like 0000-01)."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(month: str) -> str:
    first, _last = month_bounds(month)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def last_complete_month(today: date) -> str:
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def preset_bounds(preset: str, today: date) -> tuple[date, date] | None:
    """The days a preset covers, up to today; None for an unknown preset."""
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        return month_bounds(last_complete_month(today))
    if preset == "this_year":
        return today.replace(month=1, day=1), today
    return None


def month_too_old(month: str, today: date) -> bool:
    """Is `YYYY-MM` further back than the month pages reach? (Checked before `month_bounds`,
    so a year no calendar has is simply too old.)"""
    return int(month[:4]) < today.year - MONTHS_BACK_YEARS
