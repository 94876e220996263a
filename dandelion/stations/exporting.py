"""Export of stations to CSV or XLSX in the import's own columns, so an exported file imports
back unchanged: Chinese headers and labels, WGS-84 coordinates at full precision, amenities by
Chinese name (by code where two amenities share a name), hours in the Chinese spelling."""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from .hours_text import format_weekly_hours
from .models import Amenity, Station
from .station_file import COLUMNS
from .tabular import formula_guard

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)
# Columns Excel must keep as text, or it turns 360403001 into a number and drops a phone's "+".
TEXT_COLUMNS = {"region_code", "phone"}


def _amenity_labels() -> dict[str, str]:
    amenities = list(Amenity.objects.all())
    name_count = Counter(a.name_zh for a in amenities)
    return {a.code: a.name_zh if name_count[a.name_zh] == 1 else a.code for a in amenities}


def station_rows(stations: Iterable[Station]) -> Iterator[list[Any]]:
    """The header row, then one row per station (stations with region, amenities and hours)."""
    yield [column.header for column in COLUMNS]
    labels = _amenity_labels()
    with translation.override("zh-hans"):
        for station in stations:
            hours = [(i.weekday, i.opens, i.closes) for i in station.hours.all()]
            values = {
                "name": station.name,
                "region_code": station.region.code,
                "kind": str(station.get_kind_display()),
                "origin": str(station.get_origin_display()),
                "host_org_name": station.host_org_name,
                "address": station.address,
                "lat": station.lat,
                "lng": station.lng,
                "coord": "wgs84",
                "phone": station.phone,
                "area_m2": station.area_m2,
                "is_24h": "是" if station.is_24h else "否",
                "amenities": "、".join(labels[a.code] for a in station.amenities.all()),
                "hours": format_weekly_hours(hours),
                "status": str(station.get_status_display()),
                "notes": station.notes,
            }
            yield [values[column.key] for column in COLUMNS]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return formula_guard(value) if isinstance(value, str) else value


def _csv_bytes(rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[_csv_cell(value) for value in row] for row in rows])
    # The BOM makes Excel open the file as UTF-8 instead of the system's GB18030.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_bytes(rows: Iterator[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "驿站"
    for row in rows:
        sheet.append(row)
    text_columns = [i for i, c in enumerate(COLUMNS, start=1) if c.key in TEXT_COLUMNS]
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            if cell.column in text_columns:
                cell.number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        width = 40 if column.key in ("address", "hours", "amenities", "notes") else 14
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stations_export(*, stations: QuerySet[Station], file_format: str) -> bytes:
    """The stations as a CSV or XLSX file (`file_format` "csv" or "xlsx")."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}.")
    stations = stations.select_related("region").prefetch_related("amenities", "hours")
    rows = station_rows(stations.order_by("id"))
    return _csv_bytes(rows) if file_format == "csv" else _xlsx_bytes(rows)
