"""Writes of reports: submit, support ("me too"), route, move through the status table, merge
duplicates, the reporter's confirm/reopen, the clock's closing of confirmed fixes, API keys.

Every service that changes a report locks its row, checks the move against
`statuses.TRANSITIONS`, writes a `ReportEvent` in the same transaction, and leaves its side
effects (notifications' outside channels, the points event) to run after commit.
"""

import hashlib
import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dandelion.core import events, geo
from dandelion.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dandelion.core.permissions import require, scope_queryset
from dandelion.core.photos import ProcessedPhoto, StoredFiles, atomic_with_files, photos_process
from dandelion.notifications.services import notification_send
from dandelion.orgs.models import Organisation

from . import selectors, statuses
from .events import ReportAccepted
from .models import (
    ApiKey,
    CategoryAttribute,
    Report,
    ReportCategory,
    ReportEvent,
    ReportPhoto,
    ReportSupporter,
)
from .statuses import REPORTER, REPORTER_WINDOW, STAFF, SYSTEM, Status

MAX_DESCRIPTION = 4000
MAX_NOTE = 1000
MAX_ADDRESS = 200
API_KEY_PREFIX = "o311_"

E = ReportEvent


def _field_error(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput(
        message, code=code, errors=[{"loc": [field], "field": field, "msg": message, "type": code}]
    )


def _report_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("reports:detail", kwargs={"report_id": report.pk})


# ---- submitting ----


def _attribute_value(attribute: CategoryAttribute, raw):
    """An answer in its stored form, or an `InvalidInput` naming `attribute[code]`."""
    field = f"attribute[{attribute.code}]"
    kind = CategoryAttribute.Datatype
    keys = {str(v.get("key")) for v in attribute.values or []}
    if attribute.datatype == kind.MULTI:
        values = raw if isinstance(raw, list) else [v for v in str(raw).split(",") if v]
        values = [str(v).strip() for v in values]
        if any(v not in keys for v in values):
            raise _field_error(field, "Choose from the listed values.", "invalid_attribute")
        return values
    value = str(raw).strip()
    if attribute.datatype == kind.SINGLE:
        if value not in keys:
            raise _field_error(field, "Choose one of the listed values.", "invalid_attribute")
        return value
    if attribute.datatype == kind.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise _field_error(field, "A number is required.", "invalid_attribute") from None
        if not number.is_finite():
            raise _field_error(field, "A number is required.", "invalid_attribute")
        return str(number)
    if attribute.datatype == kind.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:  # well formed but not on the calendar: 2026-02-30T10:00
            moment = None
        if moment is None:
            raise _field_error(field, "An ISO 8601 date and time is required.", "invalid_attribute")
        return value
    limit = 2000 if attribute.datatype == kind.TEXT else 200
    if len(value) > limit:
        raise _field_error(field, f"At most {limit} characters.", "invalid_attribute")
    return value


def _attributes_clean(category: ReportCategory, answers: dict) -> dict:
    cleaned = {}
    known = {a.code: a for a in category.attributes.all()}
    for code in answers:
        if code not in known:
            raise _field_error(f"attribute[{code}]", "Unknown attribute.", "unknown_attribute")
    for code, attribute in known.items():
        raw = answers.get(code)
        if raw in (None, "", []):
            if attribute.required:
                raise _field_error(
                    f"attribute[{code}]", "This question must be answered.", "attribute_required"
                )
            continue
        cleaned[code] = _attribute_value(attribute, raw)
    return cleaned


def _store_photos(
    report: Report, processed: list[ProcessedPhoto], files: StoredFiles
) -> list[ReportPhoto]:
    stored = []
    for order, photo in enumerate(processed):
        row = ReportPhoto(report=report, order=order)
        name = f"{report.pk}-{secrets.token_hex(6)}.jpg"
        files.save(row.image, name, photo.image)
        files.save(row.thumbnail, name, photo.thumbnail)
        row.save()
        stored.append(row)
    return stored


def _notify_handlers(report: Report, organisation: Organisation | None) -> None:
    handlers = selectors.organisation_handlers(organisation)
    if handlers:
        notification_send(
            recipients=handlers,
            kind="reports.assigned",
            params={"report_id": report.pk, "category": report.category.name},
            url=f"/console/reports/{report.pk}/",
        )


def report_create(
    *,
    reporter,
    category_code: str,
    lat: float,
    lng: float,
    description: str,
    address: str = "",
    photos: list | None = None,
    attributes: dict | None = None,
    source: str = Report.Source.H5,
    api_key: ApiKey | None = None,
    contact: dict | None = None,
    media_url: str = "",
    now: datetime | None = None,
) -> Report:
    """Submit a report. Rules: a WGS-84 point the platform serves; a category offered at that
    place; a description (≤ 4000 characters; Open311 may leave it out); 1–4 photos that decode
    as JPEG, PNG or WebP (Open311 may send none, or a `media_url`); every required extra
    question answered. The report starts `for_triage` and goes to the organisation the routing
    rules name, whose handlers are told. Photos are checked before anything is written, and
    their files are deleted again if the report is not saved."""
    now = now or timezone.now()
    # Open311 clients may leave out the description and the photos (or link one by URL).
    strict = source != Report.Source.OPEN311
    description = (description or "").strip()
    address = (address or "").strip()
    if strict and not description:
        raise _field_error("description", "Describe the problem.", "description_required")
    if len(description) > MAX_DESCRIPTION:
        raise _field_error("description", "At most 4000 characters.", "description_too_long")
    if len(address) > MAX_ADDRESS:
        raise _field_error("address", "At most 200 characters.", "address_too_long")
    if not geo.valid_wgs84(lat, lng):
        raise _field_error("lat", "A WGS-84 latitude and longitude are required.", "invalid_point")
    uploads = list(photos or [])
    if strict and not uploads:
        raise _field_error("photos", "Add at least one photo.", "photo_required")
    processed = photos_process(uploads)

    region = selectors.region_for_point(lat=lat, lng=lng)
    category = (
        selectors.categories_for_region(region=region).filter(code=category_code or "").first()
    )
    if category is None:
        raise _field_error(
            "category", "This category is not offered at this place.", "category_not_offered"
        )
    cleaned = _attributes_clean(category, attributes or {})
    if api_key is not None and not region.code.startswith(api_key.region.code_prefix):
        raise PermissionDenied(
            "This API key may not post requests at this place.", code="api_key_out_of_scope"
        )
    organisation = selectors.routing_target(category=category, region=region)

    with atomic_with_files() as files:
        report = Report.objects.create(
            category=category,
            region=region,
            city_code=region.city_code,
            organisation=organisation,
            reporter=reporter,
            source=source,
            api_key=api_key,
            description=description,
            lat=lat,
            lng=lng,
            h3_r9=geo.h3_cells(lat, lng)["h3_r9"],
            address=address,
            attributes=cleaned,
            media_url=media_url,
            contact=contact or {},
            status=Status.FOR_TRIAGE,
            created_at=now,
            updated_at=now,
        )
        _store_photos(report, processed, files)
        actor_kind = E.Actor.CLIENT if source == Report.Source.OPEN311 else E.Actor.REPORTER
        E.objects.create(
            report=report,
            kind=E.Kind.CREATED,
            to_status=Status.FOR_TRIAGE,
            actor=reporter,
            actor_kind=actor_kind,
            created_at=now,
        )
        if organisation is not None:
            E.objects.create(
                report=report,
                kind=E.Kind.ROUTED,
                organisation=organisation,
                actor_kind=E.Actor.SYSTEM,
                created_at=now,
            )
            _notify_handlers(report, organisation)
    return report


# ---- me too ----


@transaction.atomic
def report_support(*, report_id: int, user, now: datetime | None = None) -> tuple[Report, bool]:
    """ "Me too": `user` saw the same problem and follows the report. Idempotent per person
    (a second call changes nothing and answers `False`). The reporter cannot support their own
    report, and nobody supports a closed one."""
    now = now or timezone.now()
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    if report.reporter_id == user.pk:
        raise Conflict("This is your own report.", code="own_report")
    if ReportSupporter.objects.filter(report=report, user=user).exists():
        return report, False
    if report.is_closed:
        raise Conflict(
            f"The report is {report.status}; it cannot be supported.",
            code="report_closed",
            extra={"current_status": report.status},
        )
    try:
        with transaction.atomic():
            ReportSupporter.objects.create(report=report, user=user, created_at=now)
    except IntegrityError:
        return report, False
    E.objects.create(
        report=report,
        kind=E.Kind.SUPPORTED,
        actor=user,
        actor_kind=E.Actor.REPORTER,
        created_at=now,
    )
    return report, True


# ---- moving through the status table ----


def _locked(report_id: int) -> Report:
    report = (
        Report.objects.select_for_update()
        .select_related("category", "region")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    return report


def _refuse_move(report: Report, target: str) -> Conflict:
    return Conflict(
        f"A report that is {report.status} cannot become {target}.",
        code="illegal_transition",
        extra={"current_status": report.status, "target": target},
    )


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise _field_error("note", "Write a public note about this change.", "note_required")
    if len(note) > MAX_NOTE:
        raise _field_error("note", "At most 1000 characters.", "note_too_long")
    return note


def _move(report: Report, target: str, *, actor, actor_kind: str, note: str, now) -> ReportEvent:
    """Apply an allowed move: the row, its event, the followers' notifications, and (once per
    report) the points event when staff accept it as valid."""
    source = report.status
    report.status = target
    report.status_note = note
    report.updated_at = now
    if target == Status.FIXED:
        report.fixed_at = now
    elif target == Status.REOPEN:
        report.fixed_at = None
    accepted = (
        actor_kind == E.Actor.STAFF
        and target in statuses.VALID_STATUSES
        and report.accepted_at is None
    )
    if accepted:
        report.accepted_at = now
    report.save()
    event = E.objects.create(
        report=report,
        kind=E.Kind.STATUS,
        from_status=source,
        to_status=target,
        note=note,
        actor=actor,
        actor_kind=actor_kind,
        created_at=now,
    )
    if accepted and report.reporter_id:
        events.publish(
            ReportAccepted(
                report_id=report.pk,
                reporter_id=report.reporter_id,
                region_code=report.region.code,
                category=report.category.code,
                occurred_at=now,
            )
        )
    followers = [u for u in selectors.followers_of(report) if actor is None or u.pk != actor.pk]
    notification_send(
        recipients=followers,
        kind=f"reports.status.{target}",
        params={"report_id": report.pk, "category": report.category.name, "note": note},
        url=_report_url(report),
    )
    return event


@transaction.atomic
def report_status_change(
    *,
    report_id: int,
    actor,
    status: str,
    note: str,
    expected_at: datetime | None = None,
    now: datetime | None = None,
) -> Report:
    """Staff move a report along the status table with a public note. Marking a duplicate
    goes through `report_mark_duplicate` (it needs the original)."""
    now = now or timezone.now()
    if status not in Status.values:
        raise _field_error("status", f"Unknown status {status}.", "unknown_status")
    if status == Status.DUPLICATE:
        raise _field_error(
            "status", "Mark a duplicate with the original report.", "duplicate_needs_original"
        )
    note = _clean_note(note, required=True)
    report = _locked(report_id)
    require(actor, "report.update_status", report)
    if not statuses.allowed(report.status, status, STAFF):
        raise _refuse_move(report, status)
    if expected_at is not None:
        report.expected_at = expected_at
    _move(report, status, actor=actor, actor_kind=E.Actor.STAFF, note=note, now=now)
    return report


@transaction.atomic
def report_route(
    *, report_id: int, actor, organisation_id: int, note: str = "", now: datetime | None = None
) -> Report:
    """A dispatcher sends a report to another organisation of their region. The new
    organisation's handlers are told; the status is unchanged."""
    now = now or timezone.now()
    note = _clean_note(note, required=False)
    report = _locked(report_id)
    require(actor, "report.route", report)
    if report.is_closed:
        raise _refuse_move(report, "routed")
    organisation = (
        scope_queryset(actor, "org.view", Organisation.objects.filter(is_active=True))
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise _field_error(
            "organisation_id", "Choose an active organisation in your area.", "invalid_organisation"
        )
    if organisation.pk == report.organisation_id:
        raise Conflict("The report is already with this organisation.", code="already_routed")
    report.organisation = organisation
    report.updated_at = now
    report.save(update_fields=["organisation", "updated_at"])
    E.objects.create(
        report=report,
        kind=E.Kind.ROUTED,
        organisation=organisation,
        note=note,
        actor=actor,
        actor_kind=E.Actor.STAFF,
        created_at=now,
    )
    _notify_handlers(report, organisation)
    return report


@transaction.atomic
def report_mark_duplicate(
    *, report_id: int, original_id: int, actor, note: str = "", now: datetime | None = None
) -> Report:
    """Staff merge a report into an earlier one of the same city. Its reporter and supporters
    become supporters of the original (they follow it from now on) and are told where to look;
    the duplicate keeps its own history."""
    now = now or timezone.now()
    if report_id == original_id:
        raise _field_error("original_id", "A report cannot duplicate itself.", "self_duplicate")
    # Locks in id order, so two merges of the same pair cannot deadlock.
    locked = {
        r.pk: r
        for r in Report.objects.select_for_update()
        .select_related("category", "region")
        # Two exact lookups, not `pk__in`: Django turns an id beyond the column's range into
        # "no row" for an exact lookup only.
        .filter(Q(pk=report_id) | Q(pk=original_id))
        .order_by("pk")
    }
    report, original = locked.get(report_id), locked.get(original_id)
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    if original is None:
        raise _field_error("original_id", "No such report.", "original_not_found")
    require(actor, "report.mark_duplicate", report)
    require(actor, "report.view_staff", original)
    if original.city_code != report.city_code:
        raise _field_error("original_id", "The original is in another city.", "other_city")
    if original.status == Status.DUPLICATE:
        raise _field_error(
            "original_id",
            f"#{original.pk} is itself a duplicate of #{original.duplicate_of_id}.",
            "original_is_duplicate",
        )
    if not statuses.allowed(report.status, Status.DUPLICATE, STAFF):
        raise _refuse_move(report, Status.DUPLICATE)
    note = _clean_note(note, required=False) or gettext(
        "与 #%(id)s 是同一问题，请关注 #%(id)s。"
    ) % {"id": original.pk}
    followers = set(ReportSupporter.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        followers.add(report.reporter_id)
    followers.discard(original.reporter_id)
    already = set(ReportSupporter.objects.filter(report=original).values_list("user_id", flat=True))
    ReportSupporter.objects.bulk_create(
        [
            ReportSupporter(report=original, user_id=user_id, created_at=now)
            for user_id in sorted(followers - already)
        ]
    )
    # Tell the followers before they move, then move them.
    report.duplicate_of = original
    _move(report, Status.DUPLICATE, actor=actor, actor_kind=E.Actor.STAFF, note=note, now=now)
    ReportSupporter.objects.filter(report=report).delete()
    E.objects.create(
        report=original,
        kind=E.Kind.DUPLICATE,
        note=f"#{report.pk}",
        actor=actor,
        actor_kind=E.Actor.STAFF,
        created_at=now,
    )
    original.updated_at = now
    original.save(update_fields=["updated_at"])
    return report


# ---- the reporter's say ----


def _reporter_window_open(report: Report, now: datetime) -> bool:
    since = report.fixed_at or report.updated_at
    return now - since <= REPORTER_WINDOW


def _as_reporter(report_id: int, user, target: str, now) -> Report:
    report = _locked(report_id)
    if report.reporter_id is None or report.reporter_id != user.pk:
        raise PermissionDenied("Only the reporter may do this.", code="not_reporter")
    if not statuses.allowed(report.status, target, REPORTER):
        raise _refuse_move(report, target)
    if not _reporter_window_open(report, now):
        raise Conflict(
            "More than 14 days have passed since the fix.",
            code="reporter_window_closed",
            extra={"current_status": report.status},
        )
    return report


@transaction.atomic
def report_confirm_fixed(
    *, report_id: int, user, note: str = "", now: datetime | None = None
) -> Report:
    """The reporter confirms the fix (fixed → closed), within 14 days of it."""
    now = now or timezone.now()
    note = _clean_note(note, required=False) or str(_("报告人确认已修复"))
    report = _as_reporter(report_id, user, Status.CLOSED, now)
    _move(report, Status.CLOSED, actor=user, actor_kind=E.Actor.REPORTER, note=note, now=now)
    return report


@transaction.atomic
def report_reopen(*, report_id: int, user, note: str, now: datetime | None = None) -> Report:
    """The reporter says the problem is still there (fixed or closed → reopen), within 14 days
    of the fix, saying why."""
    now = now or timezone.now()
    note = _clean_note(note, required=True)
    report = _as_reporter(report_id, user, Status.REOPEN, now)
    _move(report, Status.REOPEN, actor=user, actor_kind=E.Actor.REPORTER, note=note, now=now)
    if report.organisation_id:
        _notify_handlers(report, report.organisation)
    return report


def reports_close_confirmed(now: datetime | None = None) -> int:
    """Close fixes nobody reopened within 14 days (a periodic job; safe to run twice: each row
    is re-checked under its lock)."""
    now = now or timezone.now()
    due = list(
        Report.objects.filter(status=Status.FIXED, fixed_at__lt=now - REPORTER_WINDOW).values_list(
            "pk", flat=True
        )[:500]
    )
    closed = 0
    for report_id in due:
        with transaction.atomic():
            report = _locked(report_id)
            if report.status != Status.FIXED or not statuses.allowed(
                report.status, Status.CLOSED, SYSTEM
            ):
                continue
            if report.fixed_at is None or now - report.fixed_at <= REPORTER_WINDOW:
                continue
            _move(
                report,
                Status.CLOSED,
                actor=None,
                actor_kind=E.Actor.SYSTEM,
                note=str(_("修复后 14 天内无异议，自动办结")),
                now=now,
            )
            closed += 1
    return closed


# ---- Open311 API keys ----


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_issue(*, name: str, region, actor=None, raw: str | None = None) -> tuple[ApiKey, str]:
    """A new key for an outside system; the raw key is returned once and never stored.
    (`raw` is for the demo city's documented key only.)"""
    raw = raw or API_KEY_PREFIX + secrets.token_urlsafe(24)
    key = ApiKey.objects.create(
        name=name,
        region=region,
        key_prefix=raw[:10],
        key_hash=_hash_key(raw),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return key, raw


def api_key_authenticate(*, raw: str, now: datetime | None = None) -> ApiKey | None:
    if not raw:
        return None
    key = (
        ApiKey.objects.select_related("region")
        .filter(key_hash=_hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if key is not None:
        key.last_used_at = now or timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=key.last_used_at)
    return key


def api_key_revoke(*, key: ApiKey, now: datetime | None = None) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = now or timezone.now()
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=key.revoked_at)
    return key


# ---- a person's data ----


def reports_export(user) -> list[dict]:
    return [
        {
            "id": r.pk,
            "category": r.category.code,
            "description": r.description,
            "lat": r.lat,
            "lng": r.lng,
            "address": r.address,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(reporter=user).select_related("category")
    ]


def person_anonymise(user, actor, now: datetime) -> None:
    """Reports are a public record of a place; on account deletion they stay, unlinked."""
    Report.objects.filter(reporter=user).update(reporter=None)
    ReportSupporter.objects.filter(user=user).delete()


# ---- configuration (demo loader, tests, scripts) ----


@transaction.atomic
def category_upsert(
    *,
    region,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    group: str = "",
    keywords: str = "",
    icon: str = "",
    order: int = 100,
    attributes: list[dict] | tuple = (),
) -> tuple[ReportCategory, bool]:
    """Create the category `code` of the region's city, or update it; its extra questions
    are replaced by `attributes` ({code, description, datatype, required, values…})."""
    category = ReportCategory.objects.filter(city_code=region.city_code, code=code).first()
    created = category is None
    category = category or ReportCategory(city_code=region.city_code, code=code)
    for field, value in {
        "region": region,
        "name": name,
        "name_en": name_en,
        "description": description,
        "group": group,
        "keywords": keywords,
        "icon": icon,
        "order": order,
    }.items():
        setattr(category, field, value)
    category.full_clean()
    category.save()
    wanted = {a["code"] for a in attributes}
    category.attributes.exclude(code__in=wanted).delete()
    for order_no, spec in enumerate(attributes, start=1):
        CategoryAttribute.objects.update_or_create(
            category=category,
            code=spec["code"],
            defaults={
                "description": spec["description"],
                "datatype": spec.get("datatype", CategoryAttribute.Datatype.STRING),
                "datatype_description": spec.get("datatype_description", ""),
                "required": spec.get("required", False),
                "order": spec.get("order", order_no),
                "values": spec.get("values", []),
            },
        )
    return category, created


def routing_rule_set(*, region, category: ReportCategory | None, organisation) -> bool:
    """Reports of `category` (None: any) in `region` go to `organisation`. True if created."""
    from .models import RoutingRule

    _rule, created = RoutingRule.objects.update_or_create(
        region=region, category=category, defaults={"organisation": organisation}
    )
    return created
