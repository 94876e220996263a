"""Writes of regions: one upsert used by the admin, the CSV loader and the demo."""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error, validated_save
from dandelion.core.geo import valid_wgs84

from .divisions import city_code_for, code_prefix, level_for_code
from .errors import RegionsError
from .models import Region, division_code_validator


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
