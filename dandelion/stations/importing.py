"""Import of a city's station list from a CSV or XLSX file (导入驿站名单).

Rules:
- The first non-blank row holds the headers, in Chinese or English (`COLUMNS`). A required
  column missing or given twice rejects the file; unknown columns are ignored with a warning.
- Every row is checked before anything is written. Each error names the line as the spreadsheet
  shows it (header = line 1), the column and the reason. With any bad row nothing is written,
  unless `only_valid`: then the good rows are written and the bad ones reported.
- A row is keyed by (name, region): the station of that name in that region is updated, or a new
  one created. A row that would change nothing is left alone, so importing a file twice is a no-op.
- An optional column left out of the file keeps each station's current value; a column present
  with an empty cell means the default (no amenities, no weekly hours, status active).
- Coordinates are converted to WGS-84 from the row's `coord` datum (default WGS-84).
- Rows are checked and written in one transaction, through the station services.
- With an `actor` (the admin page), a row may only add a station in a region where the actor may
  add stations (`station.add`) and only update a station the actor may change; other rows are
  row errors. Without one (the command line), every row is allowed.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dandelion.core.errors import CoreError, InvalidInput
from dandelion.core.geo import to_wgs84
from dandelion.core.permissions import scope_queryset
from dandelion.regions.selectors import regions_by_id

from .errors import StationsError
from .hours_text import Interval
from .models import Station
from .services import place_set_weekly_hours, station_create, station_update
from .station_file import CellContext, map_headers, norm, read_cells
from .tabular import file_error, line_error, read_table

# Station fields a file sets; `region` comes from region_code, h3 cells and city code from services.
FILE_FIELDS = (
    "name",
    "region",
    "kind",
    "origin",
    "host_org_name",
    "address",
    "lat",
    "lng",
    "phone",
    "area_m2",
    "is_24h",
    "status",
    "notes",
)


@dataclass
class RowPlan:
    """What one good row will do."""

    line: int
    fields: dict[str, Any]
    amenity_codes: list[str] | None  # None: no amenities column, keep the current ones
    intervals: list[Interval] | None  # None: no hours column, keep the current hours
    station: Station | None = None  # the existing station the row updates
    changes: dict[str, Any] = field(default_factory=dict)
    amenities_changed: bool = False
    hours_changed: bool = False

    @property
    def action(self) -> str:
        if self.station is None:
            return "create"
        if self.changes or self.amenities_changed or self.hours_changed:
            return "update"
        return "unchanged"


@dataclass
class ImportReport:
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # rows left out (only_valid)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


COORDINATE_TOLERANCE = 1e-9  # degrees, about 0.1 mm

# Model fields a file does not set, or that were checked without a query per row.
MODEL_CHECK_EXCLUDE = ("region", "uuid", "city_code", "h3_r5", "h3_r7", "h3_r9", "amenities")


def _model_errors(fields: dict[str, Any], skip: set[str]) -> list[tuple[str, str]]:
    """Lengths, phone format and choices, by the model's own validators."""
    station = Station(**{k: v for k, v in fields.items() if k != "region"})
    try:
        station.full_clean(
            exclude={*MODEL_CHECK_EXCLUDE, *skip}, validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return [(key, str(msg)) for key, msgs in exc.message_dict.items() for msg in msgs]
    return []


def _check_row(
    line: int, cells: dict[str, str], context: CellContext
) -> tuple[RowPlan | None, list[dict[str, Any]]]:
    values, errors = read_cells(line, cells, context)
    if "region_code" in values:
        values["region"] = values.pop("region_code")
    if {"lat", "lng", "coord"} <= values.keys():
        values["lat"], values["lng"] = to_wgs84(values["lat"], values["lng"], values["coord"])
    fields = {k: values[k] for k in FILE_FIELDS if k in values}
    unreadable = {e["field"] for e in errors}
    for key, msg in _model_errors(fields, unreadable):
        errors.append(line_error(line, key, StationsError.INVALID_PLACE, msg))
    if errors:
        return None, errors
    return RowPlan(line, fields, values.get("amenities"), values.get("hours")), []


def _differs(key: str, current: Any, new: Any) -> bool:
    if key in ("lat", "lng"):
        # Spreadsheets keep 15–16 significant digits; a move below 0.1 mm is no change.
        return abs(current - new) > COORDINATE_TOLERANCE
    return current != new


def _compare(plan: RowPlan, station: Station) -> None:
    plan.station = station
    plan.changes = {
        k: v
        for k, v in plan.fields.items()
        if k not in ("name", "region") and _differs(k, getattr(station, k), v)
    }
    if plan.amenity_codes is not None:
        current = {a.code for a in station.amenities.all()}
        plan.amenities_changed = current != set(plan.amenity_codes)
    if plan.intervals is not None:
        current_hours = sorted((i.weekday, i.opens, i.closes) for i in station.hours.all())
        plan.hours_changed = current_hours != plan.intervals


def _existing_stations(rows, context: CellContext) -> dict[tuple[str, int], list[Station]]:
    names = {cells.get("name", "").strip() for _line, cells in rows}
    existing: dict[tuple[str, int], list[Station]] = {}
    for station in Station.objects.filter(
        region__in=context.regions.values(), name__in=names
    ).prefetch_related("amenities", "hours"):
        existing.setdefault((station.name, station.region_id), []).append(station)
    return existing


class _Scope:
    """What an actor may do with the regions and stations a file names, in two queries."""

    def __init__(self, actor, context: CellContext, existing: dict) -> None:
        regions = regions_by_id(ids=[r.pk for r in context.regions.values()])
        stations = Station.objects.filter(
            pk__in=[s.pk for matches in existing.values() for s in matches]
        )
        self.addable = set(
            scope_queryset(actor, "station.add", regions).values_list("pk", flat=True)
        )
        self.changeable = set(
            scope_queryset(actor, "station.change", stations).values_list("pk", flat=True)
        )

    def allows(self, plan: RowPlan) -> bool:
        if plan.station is None:
            return plan.fields["region"].pk in self.addable
        return plan.station.pk in self.changeable


def check_rows(
    rows: list[tuple[int, dict[str, str]]], *, actor=None
) -> tuple[list[RowPlan], list[dict[str, Any]]]:
    """Check every row; return the plans of the good rows and the errors of the bad ones."""
    context = CellContext({norm(cells.get("region_code", "")) for _line, cells in rows})
    existing = _existing_stations(rows, context)
    scope = None if actor is None else _Scope(actor, context, existing)
    plans: list[RowPlan] = []
    errors: list[dict[str, Any]] = []
    first_line: dict[tuple[str, int], int] = {}
    for line, cells in rows:
        plan, row_errors = _check_row(line, cells, context)
        if plan is None:
            errors.extend(row_errors)
            continue
        key = (plan.fields["name"], plan.fields["region"].pk)
        if key in first_line:
            msg = _("与第 %(line)d 行的名称和区划重复") % {"line": first_line[key]}
            errors.append(line_error(line, "name", StationsError.IMPORT_DUPLICATE_ROW, msg))
            continue
        first_line[key] = line
        matches = existing.get(key, [])
        if len(matches) > 1:
            msg = _("该区划已有 %(count)d 个同名驿站，无法确定更新哪一个") % {"count": len(matches)}
            errors.append(line_error(line, "name", StationsError.IMPORT_AMBIGUOUS_STATION, msg))
            continue
        if matches:
            _compare(plan, matches[0])
        if scope is not None and not scope.allows(plan):
            msg = _("区划 %(code)s 不在你的管辖范围内") % {"code": plan.fields["region"].code}
            errors.append(line_error(line, "region_code", CoreError.PERMISSION_DENIED, msg))
            continue
        plans.append(plan)
    return plans, errors


def _write(plan: RowPlan) -> None:
    if plan.station is None:
        station = station_create(amenity_codes=plan.amenity_codes or (), **plan.fields)
        if plan.intervals:
            place_set_weekly_hours(place=station, intervals=plan.intervals)
        return
    station = plan.station
    if plan.changes or plan.amenities_changed:
        codes = plan.amenity_codes if plan.amenities_changed else None
        station = station_update(station=station, amenity_codes=codes, **plan.changes)
    if plan.hours_changed:
        place_set_weekly_hours(place=station, intervals=plan.intervals)


@transaction.atomic
def _write_all(plans: list[RowPlan], report: ImportReport, *, only_valid: bool) -> None:
    for plan in plans:
        if plan.action == "unchanged":
            report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                _write(plan)
        except InvalidInput as exc:
            errors = [
                line_error(plan.line, e["field"], e["code"], e["msg"]) for e in exc.errors
            ] or [line_error(plan.line, "", exc.code, exc.message)]
            if not only_valid:
                raise InvalidInput(exc.message, code=exc.code, errors=errors) from exc
            report.errors.extend(errors)
            continue
        if plan.action == "create":
            report.created += 1
        else:
            report.updated += 1


@transaction.atomic
def stations_import(
    *, data: bytes, filename: str, only_valid: bool = False, dry_run: bool = False, actor=None
) -> ImportReport:
    """Import a station list (see the module's rules) as `actor`, or unrestricted without one.
    Raises InvalidInput with `errors=[{line, field, msg}]` for a bad file, or for bad rows unless
    `only_valid`."""
    (header_line, headers), *table = read_table(data, filename)
    positions, warnings = map_headers(header_line, headers)
    if not table:
        msg = _("文件中没有数据行。")
        raise file_error(msg, code=StationsError.IMPORT_EMPTY)
    rows = [
        (line, {key: cells[i] if i < len(cells) else "" for key, i in positions.items()})
        for line, cells in table
    ]
    plans, errors = check_rows(rows, actor=actor)
    bad_lines = len({e["line"] for e in errors})
    if errors and not only_valid:
        msg = ngettext(
            "%(count)d 行有误，未导入任何数据。", "%(count)d 行有误，未导入任何数据。", bad_lines
        ) % {"count": bad_lines}
        raise InvalidInput(msg, code=StationsError.IMPORT_INVALID_ROWS, errors=errors)
    report = ImportReport(rows=len(rows), errors=errors, warnings=warnings, dry_run=dry_run)
    if dry_run:
        report.created = sum(p.action == "create" for p in plans)
        report.updated = sum(p.action == "update" for p in plans)
        report.unchanged = sum(p.action == "unchanged" for p in plans)
    else:
        _write_all(plans, report, only_valid=only_valid)
    return report
