"""Writes of regions: one upsert used by the admin, the CSV loader and the demo."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from dandelion.core.errors import InvalidInput
from dandelion.core.geo import valid_wgs84

from .divisions import city_code_for, code_prefix, level_for_code
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
    region.full_clean()
    region.save()
    return region


@dataclass(frozen=True)
class RegionRowError:
    line: int
    message: str


REQUIRED_COLUMNS = ("code", "name")


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
        raise InvalidInput(
            f"Missing columns: {', '.join(missing)}.",
            code="csv_missing_columns",
            errors=[{"field": c, "msg": "missing column"} for c in missing],
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
            errors.append({"line": line, "field": "code", "msg": f"bad division code {code!r}"})
            continue
        if not name:
            errors.append({"line": line, "field": "name", "msg": "name is required"})
            continue
        lat, lng = (row.get("lat") or "").strip(), (row.get("lng") or "").strip()
        try:
            latf = float(lat) if lat else None
            lngf = float(lng) if lng else None
        except ValueError:
            errors.append({"line": line, "field": "lat/lng", "msg": "not a number"})
            continue
        if (latf is None) != (lngf is None) or (latf is not None and not valid_wgs84(latf, lngf)):
            errors.append({"line": line, "field": "lat/lng", "msg": "bad WGS-84 point"})
            continue
        parent_code = (row.get("parent_code") or "").strip() or None
        if parent_code and parent_code not in seen:
            errors.append(
                {"line": line, "field": "parent_code", "msg": f"unknown parent {parent_code}"}
            )
            continue
        seen.add(code)
        rows.append((code, name, parent_code, (row.get("name_en") or "").strip(), latf, lngf))
    if errors:
        raise InvalidInput(
            f"{len(errors)} bad rows; nothing was imported.", code="csv_invalid", errors=errors
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
