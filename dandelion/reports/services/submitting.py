"""Submitting a report: its place, category, extra questions and photos, routed on arrival."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from dandelion.core import events, geo
from dandelion.core.errors import CoreError, PermissionDenied
from dandelion.core.photos import ProcessedPhoto, StoredFiles, atomic_with_files, photos_process
from dandelion.core.ratelimit import submissions_check, submissions_consume

from .. import selectors
from ..errors import ReportsError
from ..events import ReportChanged
from ..models import ApiKey, CategoryAttribute, Report, ReportCategory, ReportEvent, ReportPhoto
from ..statuses import Status
from .common import notify_handlers, refuse

MAX_DESCRIPTION = 4000
MAX_ADDRESS = 200

E = ReportEvent


def _attribute_value(attribute: CategoryAttribute, raw):
    """An answer in its stored form, or an `InvalidInput` naming `attribute[code]`."""
    field = f"attribute[{attribute.code}]"
    kind = CategoryAttribute.Datatype
    invalid = ReportsError.INVALID_ATTRIBUTE
    keys = {str(v.get("key")) for v in attribute.values or []}
    if attribute.datatype == kind.MULTI:
        values = raw if isinstance(raw, list) else [v for v in str(raw).split(",") if v]
        values = [str(v).strip() for v in values]
        if any(v not in keys for v in values):
            raise refuse(field, invalid, _("请从列出的选项中选择。"))
        return values
    value = str(raw).strip()
    if attribute.datatype == kind.SINGLE:
        if value not in keys:
            raise refuse(field, invalid, _("请从列出的选项中选择一项。"))
        return value
    if attribute.datatype == kind.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise refuse(field, invalid, _("请填写数字。")) from None
        if not number.is_finite():
            raise refuse(field, invalid, _("请填写数字。"))
        return str(number)
    if attribute.datatype == kind.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:  # well formed but not on the calendar: 2026-02-30T10:00
            moment = None
        if moment is None:
            raise refuse(field, invalid, _("请填写有效的日期和时间（ISO 8601）。"))
        return value
    limit = 2000 if attribute.datatype == kind.TEXT else 200
    if len(value) > limit:
        raise refuse(
            field, CoreError.TOO_LONG, _("不能超过 %(n)s 字。") % {"n": limit}, limit=limit
        )
    return value


def _attributes_clean(category: ReportCategory, answers: dict) -> dict:
    cleaned = {}
    known = {a.code: a for a in category.attributes.all()}
    for code in answers:
        if code not in known:
            raise refuse(f"attribute[{code}]", ReportsError.UNKNOWN_ATTRIBUTE, _("没有这个问题。"))
    for code, attribute in known.items():
        raw = answers.get(code)
        if raw in (None, "", []):
            if attribute.required:
                raise refuse(f"attribute[{code}]", CoreError.REQUIRED, _("此项为必填项"))
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


@dataclass(frozen=True)
class ClientSubmitter:
    """Someone submitting through an Open311 client, who has no account here: what the
    per-person submission limit counts against (`pk` is its key, never a user's id)."""

    pk: str
    kind: str = "report"


def _submitter(*, reporter, api_key: ApiKey | None, contact: dict):
    """Whom a report counts against in `submissions_consume`: the person reporting; for an
    Open311 client, the citizen it names (`account_id`, else `device_id`) within its API key,
    or the client itself when it names nobody; None when there is neither (nothing to count
    against)."""
    if reporter is not None:
        return reporter
    if api_key is None:
        return None
    citizen = contact.get("account_id") or contact.get("device_id")
    if citizen:
        return ClientSubmitter(f"open311:{api_key.pk}:{citizen}")
    # A client naming nobody (a hotline) reports for many people: its own, wider limit.
    return ClientSubmitter(f"open311:{api_key.pk}", kind="open311_client")


def _kind(submitter) -> str:
    return (
        getattr(submitter, "kind", "report") if isinstance(submitter, ClientSubmitter) else "report"
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
    client_token: str = "",
    now: datetime | None = None,
) -> Report:
    """Submit a report. Rules: a WGS-84 point the platform serves; a category offered at that
    place; a description (≤ 4000 characters; Open311 may leave it out); 1–4 photos that decode
    as JPEG, PNG or WebP (Open311 may send none, or a `media_url`); every required extra
    question answered. The report starts `for_triage` and goes to the organisation the routing
    rules name, whose handlers are told. Photos are checked before anything is written, and
    their files are deleted again if the report is not saved.

    A person submits at most `SUBMISSION_RATES` reports (`RateLimited`, 429 with Retry-After);
    an Open311 client's reports count against the citizen it names (see `_submitter`). Someone
    with none left is refused before their photos are decoded. The photos are decoded before
    the transaction opens, so a slow decode never holds the database's write lock (SQLite
    takes it when the transaction begins).

    `client_token` makes a resend harmless: the reporter's report with that key, if one was
    stored, is the answer, and nothing is checked, counted or written again."""
    now = now or timezone.now()
    client_token = (client_token or "")[:64]
    earlier = _earlier_submission(reporter, client_token)
    if earlier is not None:
        return earlier
    # Open311 clients may leave out the description and the photos (or link one by URL).
    strict = source != Report.Source.OPEN311
    description = (description or "").strip()
    address = (address or "").strip()
    if strict and not description:
        raise refuse("description", CoreError.REQUIRED, _("请描述一下问题"))
    if len(description) > MAX_DESCRIPTION:
        raise refuse(
            "description",
            CoreError.TOO_LONG,
            _("描述不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION},
            limit=MAX_DESCRIPTION,
        )
    if len(address) > MAX_ADDRESS:
        raise refuse(
            "address",
            CoreError.TOO_LONG,
            _("地址不能超过 %(n)s 字") % {"n": MAX_ADDRESS},
            limit=MAX_ADDRESS,
        )
    if not geo.valid_wgs84(lat, lng):
        raise refuse("lat", ReportsError.INVALID_POINT, _("请在地图上标出问题的位置"))
    uploads = list(photos or [])
    if strict and not uploads:
        raise refuse("photos", CoreError.REQUIRED, _("请至少拍一张照片"))
    submitter = _submitter(reporter=reporter, api_key=api_key, contact=contact or {})
    if submitter is not None:
        # Asked before the costly decoding, so a refused submission costs little.
        submissions_check(person=submitter, kind=_kind(submitter), now=now)
    processed = photos_process(uploads)

    region = selectors.region_for_point(lat=lat, lng=lng)
    if not category_code:
        raise refuse("category", CoreError.REQUIRED, _("请选择问题类别"))
    category = selectors.categories_for_region(region=region).filter(code=category_code).first()
    if category is None:
        raise refuse(
            "category", ReportsError.CATEGORY_NOT_OFFERED, _("这个位置没有这个问题类别，请重新选择")
        )
    cleaned = _attributes_clean(category, attributes or {})
    if api_key is not None and not region.code.startswith(api_key.region.code_prefix):
        raise PermissionDenied(
            _("这个 api_key 不能提交这个位置的问题。"), code=ReportsError.API_KEY_OUT_OF_SCOPE
        )
    organisation = selectors.routing_target(category=category, region=region)

    try:
        return _stored(
            reporter=reporter,
            submitter=submitter,
            processed=processed,
            now=now,
            fields={
                "category": category,
                "region": region,
                "city_code": region.city_code,
                "organisation": organisation,
                "reporter": reporter,
                "source": source,
                "api_key": api_key,
                "description": description,
                "lat": lat,
                "lng": lng,
                "h3_r9": geo.h3_cells(lat, lng)["h3_r9"],
                "address": address,
                "attributes": cleaned,
                "media_url": media_url,
                "contact": contact or {},
                "client_token": client_token,
            },
        )
    except IntegrityError:
        # The same key sent twice at once: the other request stored it.
        earlier = _earlier_submission(reporter, client_token)
        if earlier is None:
            raise
        return earlier


def _earlier_submission(reporter, client_token: str) -> Report | None:
    if not client_token or reporter is None:
        return None
    return Report.objects.filter(reporter=reporter, client_token=client_token).first()


def _stored(*, reporter, submitter, processed, now, fields: dict) -> Report:
    """The checked report saved with its first events and photos, counted, and routed."""
    organisation, source = fields["organisation"], fields["source"]
    with atomic_with_files() as files:
        if submitter is not None:
            # Decided in the transaction that stores the report: a refused or failed one
            # counts nothing.
            submissions_consume(person=submitter, kind=_kind(submitter), now=now)
        report = Report.objects.create(
            **fields, status=Status.FOR_TRIAGE, created_at=now, updated_at=now
        )
        _store_photos(report, processed, files)
        actor_role = E.Actor.CLIENT if source == Report.Source.OPEN311 else E.Actor.REPORTER
        E.objects.create(
            report=report,
            kind=E.Kind.CREATED,
            action=E.Kind.CREATED,
            to_state=Status.FOR_TRIAGE,
            actor=reporter,
            actor_role=actor_role,
            created_at=now,
        )
        if organisation is not None:
            E.objects.create(
                report=report,
                kind=E.Kind.ROUTED,
                action=E.Kind.ROUTED,
                organisation=organisation,
                actor_role=E.Actor.SYSTEM,
                created_at=now,
            )
            notify_handlers(report, organisation)
        events.publish(
            ReportChanged(
                report_id=report.pk,
                region_code=report.region.code,
                status=report.status,
                occurred_at=now,
            )
        )
    return report
