"""Weekly opening hours written as one line of text, as staff type them in a spreadsheet.

Two spellings are read, and may be mixed:
- Chinese: "周一至周五 08:00-20:00; 周六,周日 09:00-18:00", also 星期一, 每天, 工作日, 周末;
- machine: "1-5 08:00-20:00;6-7 09:00-18:00" with 1 = Monday … 7 = Sunday.

Groups are separated by ";" (or "；" or a line break); a group without days means every day; a
group may list several time ranges ("周六 09:00-12:00,14:00-18:00"). A range that closes at or
before it opens runs past midnight ("18:00-02:00"), as in `OpeningInterval`; "24:00" closes at
midnight. `format_weekly_hours` writes the Chinese spelling back, so text → intervals → text
is stable.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import time
from itertools import pairwise

from django.utils.translation import gettext as _

Interval = tuple[int, time, time]  # (weekday 0 = Monday, opens, closes)

DAY_NAMES_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
EVERY_DAY_ZH = "每天"

_DAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_WORDS = {
    "每天": range(7),
    "每日": range(7),
    "全周": range(7),
    "daily": range(7),
    "工作日": range(5),
    "周末": (5, 6),
}
_ENGLISH_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUP_SPLIT = re.compile(r"[;\n\r]+")
_LIST_SPLIT = re.compile(r"[,、\s]+")
_RANGE_SPLIT = re.compile(r"\s*(?:至|到|-|~|–|—)\s*")
_TIME = r"(\d{1,2}):(\d{2})"
_TIME_RANGE = re.compile(_TIME + r"\s*(?:-|~|–|—|至|到)\s*" + _TIME)
_TIME_RANGES = re.compile(
    rf"{_TIME_RANGE.pattern}(?:\s*[,、\s]\s*{_TIME_RANGE.pattern})*", re.IGNORECASE
)
_FIRST_TIME = re.compile(_TIME)


class HoursTextError(ValueError):
    """Text that is not a weekly schedule; the message says what could not be read."""


def _day(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit():
        number = int(token)
        if 1 <= number <= 7:
            return number - 1
        raise HoursTextError(_("星期用 1–7 表示（1 = 周一，7 = 周日）：%(day)s") % {"day": token})
    for prefix in ("星期", "礼拜", "周"):
        if token.startswith(prefix) and token[len(prefix) :] in _DAY_CHARS:
            return _DAY_CHARS[token[len(prefix) :]]
    for index, name in enumerate(_ENGLISH_DAYS):
        if token.startswith(name):
            return index
    raise HoursTextError(_("无法识别的星期：%(day)s") % {"day": token})


def _days(spec: str) -> list[int]:
    spec = spec.strip()
    if not spec:
        return list(range(7))
    days: list[int] = []
    for token in filter(None, _LIST_SPLIT.split(spec)):
        if token.lower() in _DAY_WORDS:
            days.extend(_DAY_WORDS[token.lower()])
            continue
        ends = _RANGE_SPLIT.split(token)
        if len(ends) == 1:
            days.append(_day(token))
        elif len(ends) == 2:
            first, last = _day(ends[0]), _day(ends[1])
            span = (last - first) % 7  # a range may wrap the week: 周五至周一
            days.extend((first + step) % 7 for step in range(span + 1))
        else:
            raise HoursTextError(_("无法识别的星期范围：%(days)s") % {"days": token})
    return days


def _clock(hours: str, minutes: str, *, closing: bool) -> time:
    h, m = int(hours), int(minutes)
    if closing and h == 24 and m == 0:
        return time(0)
    if h > 23 or m > 59:
        raise HoursTextError(_("无效的时间：%(time)s") % {"time": f"{hours}:{minutes}"})
    return time(h, m)


def _times(spec: str) -> list[tuple[time, time]]:
    if not _TIME_RANGES.fullmatch(spec.strip()):
        raise HoursTextError(
            _("无法识别的时间段：%(times)s（应为 08:00-20:00）") % {"times": spec.strip()}
        )
    ranges = []
    for match in _TIME_RANGE.finditer(spec):
        opens = _clock(match[1], match[2], closing=False)
        closes = _clock(match[3], match[4], closing=True)
        if opens == closes:
            raise HoursTextError(_("开门和关门时间相同：%(range)s") % {"range": match[0]})
        ranges.append((opens, closes))
    return ranges


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _check_overlaps(intervals: Sequence[Interval]) -> None:
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, opens, closes in intervals:
        end = _minutes(closes) if closes > opens else 24 * 60
        by_day.setdefault(weekday, []).append((_minutes(opens), end))
    for weekday, spans in by_day.items():
        spans.sort()
        for (_start, end), (next_start, _end) in pairwise(spans):
            if next_start < end:
                raise HoursTextError(_("%(day)s的时间段重叠") % {"day": DAY_NAMES_ZH[weekday]})


def parse_weekly_hours(text: str) -> list[Interval]:
    """Intervals `(weekday, opens, closes)` sorted by day and time; [] for empty text."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    intervals: set[Interval] = set()
    for group in filter(None, (g.strip() for g in _GROUP_SPLIT.split(text))):
        first_time = _FIRST_TIME.search(group)
        if first_time is None:
            raise HoursTextError(_("缺少时间段：%(group)s") % {"group": group})
        days = _days(group[: first_time.start()])
        for opens, closes in _times(group[first_time.start() :]):
            intervals.update((day, opens, closes) for day in days)
    result = sorted(intervals)
    _check_overlaps(result)
    return result


def _day_runs(days: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def format_weekly_hours(
    intervals: Iterable[Interval],
    *,
    day_names: Sequence[str] = DAY_NAMES_ZH,
    every_day: str = EVERY_DAY_ZH,
    through: str = "至",
    day_separator: str = ",",
    group_separator: str = "; ",
) -> str:
    """The Chinese spelling of `intervals`: days with the same ranges share one group.

    The defaults give the file format that `parse_weekly_hours` reads back; the poster passes
    translated day names for display."""
    by_day: dict[int, tuple[tuple[time, time], ...]] = {}
    for weekday, opens, closes in sorted(intervals):
        by_day[weekday] = (*by_day.get(weekday, ()), (opens, closes))
    schedules: dict[tuple, list[int]] = {}
    for weekday in sorted(by_day):
        schedules.setdefault(by_day[weekday], []).append(weekday)
    groups = []
    for ranges, days in schedules.items():
        if len(days) == 7:
            day_text = every_day
        else:
            parts = []
            for first, last in _day_runs(days):
                if last - first >= 2:
                    parts.append(f"{day_names[first]}{through}{day_names[last]}")
                else:
                    parts.extend(day_names[day] for day in range(first, last + 1))
            day_text = day_separator.join(parts)
        times = ",".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in ranges)
        groups.append(f"{day_text} {times}")
    return group_separator.join(groups)
