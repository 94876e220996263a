"""Reading Open311's query and form parameters: the jurisdiction, dates, numbers, ids, lists.
A bad one is the domain error saying which parameter (400), or 404 for a jurisdiction that is
not served here."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, NotFound
from dandelion.regions.selectors import region_list

from .. import selectors

MAX_ID = 2**63 - 1  # ids are BigAutoField


def bad(name: str, message, *, code=CoreError.INVALID_INPUT) -> InvalidInput:
    """A bad Open311 parameter; its name is in the sentence, as the client spelled it."""
    return InvalidInput(message, code=code, extra={"parameter": name})


def jurisdiction(params) -> str:
    """`jurisdiction_id`, the city's division code; it may be left out while the server hosts
    a single city."""
    code = (params.get("jurisdiction_id") or "").strip()
    cities = region_list(level="city")
    if code:
        if not cities.filter(code=code).exists():
            raise NotFound(
                _("没有这个 jurisdiction_id：%(code)s。") % {"code": code},
                code=CoreError.NOT_FOUND,
                extra={"entity": "jurisdiction", "code": code},
            )
        return code
    served = selectors.category_city_codes(limit=2)
    city = cities.filter(code__startswith=served[0]).first() if len(served) == 1 else None
    if city is not None:
        return city.code
    if len(served) < 2:
        raise NotFound(
            _("这里还没有服务任何 jurisdiction。"),
            code=CoreError.NOT_FOUND,
            extra={"entity": "jurisdiction"},
        )
    raise bad(
        "jurisdiction_id",
        _("请提供 jurisdiction_id：这个服务器服务多个城市。"),
        code=CoreError.REQUIRED,
    )


def service_not_found(code: str) -> NotFound:
    return NotFound(
        _("没有这个 service_code：%(code)s。") % {"code": code},
        code=CoreError.NOT_FOUND,
        extra={"entity": "service", "code": code},
    )


def city_code(jurisdiction_id: str) -> str:
    return jurisdiction_id[:4] + "00"


def date(params, name: str) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        if "T" in raw:
            moment = parse_datetime(raw.replace(" ", "+"))
        else:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:  # well formed but not on the calendar: 2026-02-30
        moment = None
    if moment is None:
        raise bad(name, _("%(name)s 须为 ISO 8601 日期时间。") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def window(params) -> tuple[datetime | None, datetime | None]:
    """`start_date` and `end_date`, the first not after the second."""
    start, end = date(params, "start_date"), date(params, "end_date")
    if start and end and start > end:
        raise bad("start_date", _("start_date 不能晚于 end_date。"))
    return start, end


def integer(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad(name, _("%(name)s 须为整数。") % {"name": name}) from None
    if not low <= value <= high:
        raise bad(
            name,
            _("%(name)s 须在 %(low)s 到 %(high)s 之间。")
            % {"name": name, "low": low, "high": high},
        )
    return value


def number(params, name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise bad(name, _("%(name)s 须为数字。") % {"name": name}) from None


def row_id(raw: str) -> int | None:
    """A service_request_id as a row id, or None when no row can have it (not a number, or
    beyond the BigAutoField range: such a value must not reach the database)."""
    if not raw.isdecimal() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def comma_list(params, name: str) -> list[str]:
    return [part.strip() for part in (params.get(name) or "").split(",") if part.strip()]
