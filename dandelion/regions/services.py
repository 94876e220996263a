"""Writes of regions: one upsert used by the admin, the CSV loader and the demo; boundaries and
populations, one by one or from files (GeoJSON boundaries, CSV populations and grids)."""

import csv
import io
import math

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error, validated_save
from dandelion.core.geo import valid_wgs84

from .divisions import city_code_for, code_prefix, level_for_code
from .errors import RegionsError
from .models import PopulationCell, Region, division_code_validator
from .shapes import BoundaryInvalid, boundary_shape, boundary_validate

UNCHANGED = object()  # an argument left as it is


def region_upsert(
    *,
    code: str,
    name: str,
    parent: Region | None = None,
    name_en: str = "",
    center_lat: float | None = None,
    center_lng: float | None = None,
    timezone: str = "Asia/Shanghai",
) -> Region:
    """Create or update the region with `code`; level, prefix and city code follow from the code."""
    region = Region.objects.filter(code=code).first() or Region(code=code)
    region.name = name
    region.name_en = name_en
    region.parent = parent
    region.level = level_for_code(code)
    region.code_prefix = code_prefix(code)
    region.city_code = city_code_for(code)
    region.center_lat = center_lat
    region.center_lng = center_lng
    region.timezone = timezone
    return validated_save(region)


REQUIRED_COLUMNS = ("code", "name")


def _row_error(line: int, field: str, message) -> dict:
    """A bad row: the one item shape, plus the CSV line it is on."""
    return {
        **field_error(field, RegionsError.CSV_INVALID, message, loc=[str(line), field]),
        "line": line,
    }


@transaction.atomic
def regions_load_csv(*, text: str) -> int:
    """Load divisions from CSV with columns code,name[,parent_code,name_en,lat,lng].

    Every row is checked first; nothing is written unless all rows are good. Parents may come
    earlier in the file or exist already; missing parent_code means the longest existing
    containing code.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        message = _("缺少这些列：%(columns)s。") % {"columns": ", ".join(missing)}
        raise InvalidInput(
            message,
            code=RegionsError.CSV_MISSING_COLUMNS,
            errors=[
                field_error(c, RegionsError.CSV_MISSING_COLUMNS, _("缺少这一列。")) for c in missing
            ],
        )
    rows = []
    errors = []
    seen = set(Region.objects.values_list("code", flat=True))
    for line, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        try:
            division_code_validator(code)
        except Exception:
            errors.append(_row_error(line, "code", _("区划代码有误：%(code)s。") % {"code": code}))
            continue
        if not name:
            errors.append(_row_error(line, "name", _("名称为必填项。")))
            continue
        lat, lng = (row.get("lat") or "").strip(), (row.get("lng") or "").strip()
        try:
            latf = float(lat) if lat else None
            lngf = float(lng) if lng else None
        except ValueError:
            errors.append(_row_error(line, "lat/lng", _("坐标不是数字。")))
            continue
        if (latf is None) != (lngf is None) or (latf is not None and not valid_wgs84(latf, lngf)):
            errors.append(_row_error(line, "lat/lng", _("不是有效的 WGS-84 坐标。")))
            continue
        parent_code = (row.get("parent_code") or "").strip() or None
        if parent_code and parent_code not in seen:
            errors.append(
                _row_error(
                    line, "parent_code", _("没有上级区划 %(code)s。") % {"code": parent_code}
                )
            )
            continue
        seen.add(code)
        rows.append((code, name, parent_code, (row.get("name_en") or "").strip(), latf, lngf))
    if errors:
        raise InvalidInput(
            _("有 %(count)s 行有误，没有导入任何数据。") % {"count": len(errors)},
            code=RegionsError.CSV_INVALID,
            errors=errors,
        )
    for code, name, parent_code, name_en, latf, lngf in rows:
        parent = Region.objects.get(code=parent_code) if parent_code else _containing_region(code)
        region_upsert(
            code=code, name=name, parent=parent, name_en=name_en, center_lat=latf, center_lng=lngf
        )
    return len(rows)


def _containing_region(code: str) -> Region | None:
    candidates = [c for c in (code[:9], code[:6], code[:4] + "00", code[:2] + "0000") if c != code]
    for candidate in candidates:
        region = Region.objects.filter(code=candidate).first()
        if region:
            return region
    return None


def _boundary_error(message, *, field: str = "boundary") -> InvalidInput:
    return InvalidInput(
        message,
        code=RegionsError.BOUNDARY_INVALID,
        errors=[field_error(field, RegionsError.BOUNDARY_INVALID, message)],
    )


@transaction.atomic
def region_shape_set(
    *, region: Region, boundary: dict | None = UNCHANGED, population: int | None = UNCHANGED
) -> Region:
    """Set a region's boundary (a WGS-84 GeoJSON Polygon or MultiPolygon, validated; None
    removes it) and/or its population (None: unknown)."""
    fields = []
    if boundary is not UNCHANGED:
        if boundary is not None:
            try:
                boundary = boundary_validate(boundary)
            except BoundaryInvalid as exc:
                raise _boundary_error(exc.message) from None
        region.boundary = boundary
        bounds = boundary_shape(boundary).bounds if boundary is not None else (None,) * 4
        region.bbox_west, region.bbox_south, region.bbox_east, region.bbox_north = bounds
        fields.append("boundary")
    if population is not UNCHANGED:
        region.population = population
        fields.append("population")
    if fields:
        validated_save(region)
    return region


def _load_error(number: int, field: str, message) -> dict:
    """A bad feature or row: the one item shape, plus where it is in the file (`line`: the CSV
    line, or the feature's number counted from 1)."""
    return {
        **field_error(field, RegionsError.CSV_INVALID, message, loc=[str(number), field]),
        "line": number,
    }


def _refuse(errors: list[dict], code: RegionsError = RegionsError.CSV_INVALID) -> InvalidInput:
    return InvalidInput(
        _("有 %(count)s 处有误，没有导入任何数据。") % {"count": len(errors)},
        code=code,
        errors=errors,
    )


CODE_PROPERTIES = ("code", "adcode", "division_code")
PEOPLE_MAX = 2_000_000_000  # more than any region holds, and within a grid cell's column


@transaction.atomic
def boundaries_load_geojson(*, text: str, code_property: str | None = None) -> int:
    """Load boundaries from a GeoJSON FeatureCollection whose features carry the division code
    in a property (`code_property`, else the first of code, adcode, division_code) and may carry
    `population`. Every feature is checked first; nothing is written unless all are good."""
    import json

    try:
        document = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        message = _("不是有效的 JSON：%(reason)s。") % {"reason": str(exc)}
        raise InvalidInput(message, code=RegionsError.GEOJSON_INVALID) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidInput(
            _("文件应为 GeoJSON FeatureCollection。"), code=RegionsError.GEOJSON_INVALID
        )
    features = document.get("features")
    if not isinstance(features, list):
        raise InvalidInput(
            _("FeatureCollection 缺少 features。"), code=RegionsError.GEOJSON_INVALID
        )
    known = {r.code: r for r in Region.objects.all()}
    keys = (code_property,) if code_property else CODE_PROPERTIES
    errors, rows, seen = [], [], set()
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code = next((str(properties[k]).strip() for k in keys if properties.get(k)), "")
        if not code:
            errors.append(_load_error(number, "code", _("缺少区划代码属性。")))
            continue
        if code not in known:
            message = _("没有代码为 %(code)s 的区划。") % {"code": code}
            errors.append(_load_error(number, "code", message))
            continue
        if code in seen:
            errors.append(_load_error(number, "code", _("区划 %(code)s 重复。") % {"code": code}))
            continue
        seen.add(code)
        try:
            boundary = boundary_validate(feature.get("geometry"))
        except BoundaryInvalid as exc:
            errors.append(_load_error(number, "geometry", exc.message))
            continue
        population = properties.get("population", UNCHANGED)
        if population is not UNCHANGED and population is not None:
            population = _people(population)
            if population is None:
                errors.append(_load_error(number, "population", _("人口应为非负整数。")))
                continue
        rows.append((known[code], boundary, population))
    if errors:
        raise _refuse(errors)
    for region, boundary, population in rows:
        region_shape_set(region=region, boundary=boundary, population=population)
    return len(rows)


def _people(value) -> int | None:
    """A non-negative whole number of people from a cell or a property, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(number) or not 0 <= number <= PEOPLE_MAX or number != int(number):
        return None
    return int(number)


@transaction.atomic
def population_load_csv(*, text: str, city_code: str | None = None) -> int:
    """Load populations from CSV: `code,people` sets regions' populations; `h3,people` loads a
    population grid of H3 resolution-9 cells (upserted; each cell's city is the `city` column,
    else `city_code`, else the city of the region containing the cell's centre). Every row is
    checked first; nothing is written unless all rows are good."""
    import h3

    from .selectors import region_at_point

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or [])
    key = "h3" if "h3" in columns else "code"
    missing = [c for c in (key, "people") if c not in columns]
    if missing or {"h3", "code"} <= columns:
        message = _("应有 code,people 或 h3,people 两列。")
        raise InvalidInput(
            message,
            code=RegionsError.CSV_MISSING_COLUMNS,
            errors=[
                field_error(c, RegionsError.CSV_MISSING_COLUMNS, message)
                for c in (missing or ["h3", "code"])
            ],
        )
    known = {r.code: r for r in Region.objects.all()}
    cities = {c for c in known if level_for_code(c) == Region.Level.CITY}
    errors, rows, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        value = (row.get(key) or "").strip()
        people = _people(row.get("people") or "")
        if people is None:
            errors.append(_load_error(line, "people", _("人口应为非负整数。")))
            continue
        if value in seen:
            errors.append(_load_error(line, key, _("%(value)s 重复。") % {"value": value}))
            continue
        seen.add(value)
        if key == "code":
            if value not in known:
                message = _("没有代码为 %(code)s 的区划。") % {"code": value}
                errors.append(_load_error(line, "code", message))
                continue
            rows.append((value, people, None))
            continue
        if not h3.is_valid_cell(value) or h3.get_resolution(value) != 9:
            message = _("%(value)s 不是 9 级 H3 单元。") % {"value": value}
            errors.append(_load_error(line, "h3", message))
            continue
        city = (row.get("city") or "").strip() or city_code
        if not city:
            lat, lng = h3.cell_to_latlng(value)
            found = region_at_point(lat=lat, lng=lng)
            city = found.city_code if found else ""
        if city not in cities:
            message = (
                _("没有代码为 %(code)s 的市。") % {"code": city}
                if city
                else _("无法判断单元所属的市：请给出 city 列或 --city。")
            )
            errors.append(_load_error(line, "city", message))
            continue
        rows.append((value, people, city))
    if errors:
        raise _refuse(errors)
    if key == "code":
        for code, people, _city in rows:
            region_shape_set(region=known[code], population=people)
        return len(rows)
    cells = [PopulationCell(h3=cell, people=people, city_code=city) for cell, people, city in rows]
    for start in range(0, len(cells), 500):
        batch = cells[start : start + 500]
        PopulationCell.objects.filter(h3__in=[c.h3 for c in batch]).delete()
        PopulationCell.objects.bulk_create(batch)
    return len(rows)
