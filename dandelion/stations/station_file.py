"""The station list file (驿站名单): its columns and how each cell is read.

Import and export share these columns, so an exported file imports back unchanged. Headers may
be Chinese or English; parenthesised units, "*" marks and spacing are ignored ("纬度 (WGS-84)",
"面积（m²）", "名称*"). Kind, origin and status take a code or a label; amenities a code or a
name; coordinates any of the datums in COORD_SYSTEMS.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from dandelion.core.errors import InvalidInput
from dandelion.regions.selectors import regions_by_code

from .errors import StationsError
from .hours_text import HoursTextError, Interval, parse_weekly_hours
from .models import Amenity, Place, Station
from .tabular import line_error

COORD_SYSTEMS = {
    "wgs84": "wgs84",
    "gps": "wgs84",
    "gcj02": "gcj02",
    "高德": "gcj02",
    "腾讯": "gcj02",
    "bd09": "bd09",
    "bd09ll": "bd09",
    "百度": "bd09",
}
TRUE_WORDS = {"是", "true", "1", "yes", "y", "有"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "无", ""}
AMENITY_SEPARATORS = re.compile(r"[,;、|]+")
MAX_AREA_M2 = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header, written on export
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("name", "名称", ("站名", "驿站名称"), required=True),
    Column("region_code", "区划代码", ("region", "区划"), required=True),
    Column("kind", "类型", ("驿站类型",), required=True),
    Column("origin", "建设方式", (), required=True),
    Column("host_org_name", "承建单位", ("承建/托管单位", "托管单位", "host_org")),
    Column("address", "地址", (), required=True),
    Column("lat", "纬度", ("latitude",), required=True),
    Column("lng", "经度", ("lon", "long", "longitude"), required=True),
    Column("coord", "坐标系", ("坐标",)),
    Column("phone", "电话", ("联系电话",)),
    Column("area_m2", "面积", ("area",)),
    Column("is_24h", "24小时", ("24小时开放", "24h")),
    Column("amenities", "设施", ()),
    Column("hours", "营业时间", ("开放时间",)),
    Column("status", "状态", ()),
    Column("notes", "备注", ()),
)


def _header_key(text: str) -> str:
    """The bare name of a header: "纬度 (WGS-84)" → "纬度", "Region_Code" → "regioncode"."""
    text = unicodedata.normalize("NFKC", text).lstrip("\ufeff")
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*_]", "", text).lower()


COLUMN_BY_HEADER = {
    _header_key(name): column
    for column in COLUMNS
    for name in (column.key, column.header, *column.aliases)
}


def norm(text: str) -> str:
    """Text compared loosely: full-width forms folded (NFKC), spaces dropped, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to staff."""


def _choice_lookup(choices: type) -> dict[str, str]:
    """Codes and labels (in every language the labels are shown in) → code."""
    lookup = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup.update({norm(str(label)): value for value, label in choices.choices})
    lookup.update({norm(value): value for value in choices.values})
    return lookup


class CellContext:
    """What cells are read against, loaded once per file: regions, amenities, choices."""

    def __init__(self, region_codes: set[str]):
        self.regions = {r.code: r for r in regions_by_code(codes=region_codes)}
        amenities = list(Amenity.objects.all())
        self.amenities: dict[str, str | None] = {}
        for amenity in amenities:
            for name in (amenity.name_zh, amenity.name_en):
                key = norm(name)
                # A name two amenities share is ambiguous (None); their codes still work.
                taken = key in self.amenities and self.amenities[key] != amenity.code
                self.amenities[key] = None if taken else amenity.code
        self.amenities.update({norm(a.code): a.code for a in amenities})
        self.kinds = _choice_lookup(Station.Kind)
        self.origins = _choice_lookup(Station.Origin)
        self.statuses = _choice_lookup(Place.Status)


def _text(value: str, context: CellContext) -> str:
    return value.strip()


def _required_text(value: str, context: CellContext) -> str:
    if not value.strip():
        raise CellError(_("必填"))
    return value.strip()


def _region(value: str, context: CellContext):
    code = norm(value)
    if not code:
        raise CellError(_("必填"))
    if code not in context.regions:
        raise CellError(_("未知的区划代码：%(code)s") % {"code": code})
    return context.regions[code]


def _choice(lookup_name: str, *, default: str | None = None):
    def parse(value: str, context: CellContext) -> str:
        if not norm(value):
            if default is None:
                raise CellError(_("必填"))
            return default
        lookup = getattr(context, lookup_name)
        if norm(value) not in lookup:
            choices = "、".join(sorted({k for k in lookup if not k.isascii()}))
            raise CellError(
                _("无效的值：%(value)s（可选：%(choices)s）") % {"value": value, "choices": choices}
            )
        return lookup[norm(value)]

    return parse


def _coordinate(low: float, high: float):
    def parse(value: str, context: CellContext) -> float:
        text = norm(value).rstrip("°")
        if not text:
            raise CellError(_("必填"))
        try:
            number = float(text)
        except ValueError:
            raise CellError(_("不是数字：%(value)s") % {"value": value}) from None
        if not low <= number <= high:  # also rejects nan
            raise CellError(_("超出范围 %(low)s 到 %(high)s") % {"low": low, "high": high})
        return number

    return parse


def _coord_system(value: str, context: CellContext) -> str:
    key = re.sub(r"[-_]", "", norm(value)) or "wgs84"
    if key not in COORD_SYSTEMS:
        raise CellError(_("坐标系应为 wgs84、gcj02 或 bd09：%(value)s") % {"value": value})
    return COORD_SYSTEMS[key]


def _phone(value: str, context: CellContext) -> str:
    return _nfkc(value).strip()


def _area(value: str, context: CellContext) -> int | None:
    text = re.sub(r"(m2|平方米|平米)$", "", norm(value))
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise CellError(_("不是数字：%(value)s") % {"value": value}) from None
    if not number.is_integer() or not 0 <= number <= MAX_AREA_M2:
        raise CellError(_("面积应为 0 到 %(max)d 的整数") % {"max": MAX_AREA_M2})
    return int(number)


def _yes_no(value: str, context: CellContext) -> bool:
    key = norm(value)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError(_("应填 是 或 否：%(value)s") % {"value": value})


def _amenities(value: str, context: CellContext) -> list[str]:
    codes = []
    for token in filter(None, (t.strip() for t in AMENITY_SEPARATORS.split(_nfkc(value)))):
        key = norm(token)
        if key not in context.amenities:
            raise CellError(_("未知的设施：%(name)s") % {"name": token})
        if context.amenities[key] is None:
            raise CellError(_("设施名称有歧义，请填代码：%(name)s") % {"name": token})
        codes.append(context.amenities[key])
    return list(dict.fromkeys(codes))


def _hours(value: str, context: CellContext) -> list[Interval]:
    try:
        return parse_weekly_hours(value)
    except HoursTextError as exc:
        raise CellError(str(exc)) from None


PARSERS = {
    "name": _required_text,
    "region_code": _region,
    "kind": _choice("kinds"),
    "origin": _choice("origins"),
    "host_org_name": _text,
    "address": _required_text,
    "lat": _coordinate(-90, 90),
    "lng": _coordinate(-180, 180),
    "coord": _coord_system,
    "phone": _phone,
    "area_m2": _area,
    "is_24h": _yes_no,
    "amenities": _amenities,
    "hours": _hours,
    "status": _choice("statuses", default=Place.Status.ACTIVE),
    "notes": _text,
}


def read_cells(
    line: int, cells: dict[str, str], context: CellContext
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The value of each cell by column key, and one error per cell that cannot be read."""
    values: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for key, text in cells.items():
        try:
            values[key] = PARSERS[key](text, context)
        except CellError as exc:
            errors.append(line_error(line, key, StationsError.IMPORT_BAD_CELL, str(exc)))
    return values, errors


def map_headers(line: int, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column key → position in the row, and warnings about ignored columns.

    Raises InvalidInput when a required column is missing or a column is given twice."""
    positions: dict[str, int] = {}
    errors, warnings = [], []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = COLUMN_BY_HEADER.get(_header_key(header))
        if column is None:
            warnings.append(_("已忽略未知的列：%(header)s") % {"header": header})
        elif column.key in positions:
            msg = _("列重复：%(header)s") % {"header": header}
            errors.append(line_error(line, column.key, StationsError.IMPORT_BAD_HEADER, msg))
        else:
            positions[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            msg = _("缺少必填列：%(header)s（%(key)s）") % {
                "header": column.header,
                "key": column.key,
            }
            errors.append(line_error(line, column.key, StationsError.IMPORT_BAD_HEADER, msg))
    if errors:
        raise InvalidInput(_("表头有误。"), code=StationsError.IMPORT_BAD_HEADER, errors=errors)
    return positions, warnings
