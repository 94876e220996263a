"""All writes of stations and partner places.

Each place's H3 cells and city code are derived from its point and region here, in the one
place that changes them, so they can never disagree with lat/lng.
"""

import math
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import (
    Conflict,
    CoreError,
    InvalidInput,
    field_error,
    invalid_from_validation,
    validated_save,
)
from dandelion.core.events import publish
from dandelion.core.geo import h3_cells, haversine_m, valid_wgs84
from dandelion.core.permissions import require
from dandelion.core.photos import atomic_with_files, photo_process
from dandelion.core.ratelimit import Limit, rate_limits_consume, rates_parse

from .errors import StationsError
from .events import PartnerChanged, ServiceLogged, StarsChanged, StationChanged, VisitRecorded
from .models import (
    STARS_MAX,
    Amenity,
    HoursException,
    OpeningInterval,
    PartnerPlace,
    ServiceKind,
    Station,
    StationPhoto,
    StationServiceLog,
    StationVisit,
    new_visit_code,
)
from .selectors import visit_day, visit_location_check, visits_around

PLACE_FIELDS = {"name", "region", "address", "lat", "lng", "phone", "is_24h", "status"}
STATION_FIELDS = PLACE_FIELDS | {"kind", "origin", "host_org_name", "area_m2", "seats", "notes"}
PARTNER_FIELDS = PLACE_FIELDS | {"kind", "offer"}
# What a place is and where (what the figures count it by): a change of these is announced.
STATION_STANDING = ("status", "kind", "origin", "is_24h", "region")
PARTNER_STANDING = ("status", "kind", "is_24h", "region")


def _apply(place: Station | PartnerPlace, allowed: set[str], fields: dict[str, Any]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        names = ", ".join(sorted(unknown))
        raise InvalidInput(
            _("未知的字段：%(fields)s。") % {"fields": names},
            code=StationsError.UNKNOWN_FIELDS,
            errors=[
                field_error(f, StationsError.UNKNOWN_FIELDS, _("没有这个字段。"))
                for f in sorted(unknown)
            ],
        )
    for key, value in fields.items():
        setattr(place, key, value)
    if not valid_wgs84(place.lat, place.lng):
        raise InvalidInput(
            _("坐标应是 WGS-84 坐标系中的一个点。"),
            code=StationsError.INVALID_COORDINATES,
            errors=[
                field_error("lat", StationsError.INVALID_COORDINATES, _("纬度超出范围。")),
                field_error("lng", StationsError.INVALID_COORDINATES, _("经度超出范围。")),
            ],
        )
    for key, value in h3_cells(place.lat, place.lng).items():
        setattr(place, key, value)
    place.city_code = place.region.city_code


def _validated_save(place) -> None:
    validated_save(place, code=StationsError.INVALID_PLACE)


def _standing(place: Station | PartnerPlace) -> dict[str, Any]:
    fields = STATION_STANDING if isinstance(place, Station) else PARTNER_STANDING
    return {f: place.region_id if f == "region" else getattr(place, f) for f in fields}


def _place_announce(
    place: Station | PartnerPlace,
    *,
    before: dict[str, Any] | None = None,
    previous_region_code: str | None = None,
) -> None:
    """Announce, on commit, a place created (`before` None) or changed in what it is or where
    (`before`: its `_standing` until now); nothing when none of that changed."""
    after = _standing(place)
    changed = () if before is None else tuple(f for f in after if after[f] != before[f])
    if before is not None and not changed:
        return
    common = {
        "occurred_at": timezone.now(),
        "region_code": place.region.code,
        "previous_region_code": previous_region_code if "region" in changed else None,
        "city_code": place.city_code,
        "status": place.status,
        "kind": place.kind,
        "is_24h": place.is_24h,
        "created": before is None,
        "changed": changed,
    }
    if isinstance(place, Station):
        event = StationChanged(
            station_id=place.pk, station_uuid=place.uuid, origin=place.origin, **common
        )
    else:
        event = PartnerChanged(partner_id=place.pk, partner_uuid=place.uuid, **common)
    publish(event)


def _locked(model, pk: int):
    """The place's row, locked (its own row only), with its region."""
    return model.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)


def amenities_by_codes(codes: Iterable[str]) -> list[Amenity]:
    codes = list(dict.fromkeys(codes))
    found = {a.code: a for a in Amenity.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(
            _("未知的设施代码：%(codes)s。") % {"codes": ", ".join(missing)},
            code=StationsError.UNKNOWN_AMENITY,
            errors=[
                field_error(
                    "amenities",
                    StationsError.UNKNOWN_AMENITY,
                    _("未知的设施：%(code)s") % {"code": c},
                )
                for c in missing
            ],
        )
    return [found[c] for c in codes]


@transaction.atomic
def station_create(
    *, amenity_codes: Iterable[str] = (), uuid: UUID | None = None, **fields: Any
) -> Station:
    """Create a station; `uuid` may be given by loaders that need a stable key (the demo)."""
    station = Station() if uuid is None else Station(uuid=uuid)
    _apply(station, STATION_FIELDS, fields)
    _validated_save(station)
    station.amenities.set(amenities_by_codes(amenity_codes))
    _place_announce(station)
    return station


@transaction.atomic
def station_update(
    *, station: Station, amenity_codes: Iterable[str] | None = None, **fields: Any
) -> Station:
    station = _locked(Station, station.pk)
    before, region_code = _standing(station), station.region.code
    _apply(station, STATION_FIELDS, fields)
    _validated_save(station)
    if amenity_codes is not None:
        station.amenities.set(amenities_by_codes(amenity_codes))
    _place_announce(station, before=before, previous_region_code=region_code)
    return station


@transaction.atomic
def partner_create(
    *, amenity_codes: Iterable[str] = (), uuid: UUID | None = None, **fields: Any
) -> PartnerPlace:
    """Create a partner place; `uuid` may be given by loaders that need a stable key."""
    partner = PartnerPlace() if uuid is None else PartnerPlace(uuid=uuid)
    _apply(partner, PARTNER_FIELDS, fields)
    _validated_save(partner)
    partner.amenities.set(amenities_by_codes(amenity_codes))
    _place_announce(partner)
    return partner


@transaction.atomic
def partner_update(
    *, partner: PartnerPlace, amenity_codes: Iterable[str] | None = None, **fields: Any
) -> PartnerPlace:
    partner = _locked(PartnerPlace, partner.pk)
    before, region_code = _standing(partner), partner.region.code
    _apply(partner, PARTNER_FIELDS, fields)
    _validated_save(partner)
    if amenity_codes is not None:
        partner.amenities.set(amenities_by_codes(amenity_codes))
    _place_announce(partner, before=before, previous_region_code=region_code)
    return partner


def place_refresh_derived(*, place: Station | PartnerPlace) -> None:
    """Recompute H3 cells and city code of a place edited outside the services (the admin)."""
    for key, value in h3_cells(place.lat, place.lng).items():
        setattr(place, key, value)
    place.city_code = place.region.city_code


def _owner(place: Station | PartnerPlace) -> dict[str, Any]:
    return {"station": place} if isinstance(place, Station) else {"partner": place}


@transaction.atomic
def place_set_weekly_hours(
    *,
    place: Station | PartnerPlace,
    intervals: Iterable[tuple[int, time, time]],
    is_24h: bool | None = None,
) -> None:
    """Replace the weekly intervals (weekday 0 = Monday; `closes <= opens` runs past midnight).

    The place's row lock serialises two editors, so the result is one editor's week, not a mix."""
    place = _locked(type(place), place.pk)
    rows = []
    for weekday, opens, closes in intervals:
        if not 0 <= weekday <= 6 or opens == closes:
            raise InvalidInput(
                _("每个时段需要 0–6 的星期，且开门和关门时间不同。"),
                code=StationsError.INVALID_HOURS,
                errors=[
                    field_error(
                        "hours",
                        StationsError.INVALID_HOURS,
                        _("时段有误：%(weekday)s %(opens)s–%(closes)s")
                        % {"weekday": weekday, "opens": opens, "closes": closes},
                    )
                ],
            )
        rows.append(OpeningInterval(weekday=weekday, opens=opens, closes=closes, **_owner(place)))
    OpeningInterval.objects.filter(**_owner(place)).delete()
    OpeningInterval.objects.bulk_create(rows)
    if is_24h is not None and place.is_24h != is_24h:
        before = _standing(place)
        place.is_24h = is_24h
        place.save(update_fields=["is_24h", "updated_at"])
        _place_announce(place, before=before)


@transaction.atomic
def place_add_exception(
    *,
    place: Station | PartnerPlace,
    day: date,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> HoursException:
    row = _exception_row(place, day=day, closed=closed, opens=opens, closes=closes, note=note)
    # The same exception again (a retried request) adds nothing.
    exception, _ = HoursException.objects.get_or_create(
        date=row.date,
        closed=row.closed,
        opens=row.opens,
        closes=row.closes,
        **_owner(place),
        defaults={"note": note},
    )
    return exception


def _exception_row(
    place: Station | PartnerPlace,
    *,
    day: date,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> HoursException:
    if closed:
        opens = closes = None
    elif opens is None or closes is None or opens == closes:
        raise InvalidInput(
            _("开放的特殊日期需要不同的开门和关门时间。"),
            code=StationsError.INVALID_HOURS,
            errors=[
                field_error("opens", CoreError.REQUIRED, _("请填写开门时间。")),
                field_error("closes", CoreError.REQUIRED, _("请填写关门时间。")),
            ],
        )
    return HoursException(
        date=day, closed=closed, opens=opens, closes=closes, note=note, **_owner(place)
    )


@transaction.atomic
def place_set_exceptions(
    *, place: Station | PartnerPlace, exceptions: Iterable[dict[str, Any]]
) -> None:
    """Replace every dated exception of the place. Each item holds `place_add_exception`'s
    arguments (`day`, `closed`, and `opens`, `closes`, `note` when given); as there, the same
    day and hours given twice are kept once, with the first note.

    The place's row lock serialises two editors, so the result is one editor's list, not a mix."""
    place = type(place).objects.select_for_update().get(pk=place.pk)
    rows: dict[tuple, HoursException] = {}
    for spec in exceptions:
        row = _exception_row(place, **spec)
        try:
            row.full_clean(exclude={"station", "partner"}, validate_constraints=False)
        except ValidationError as exc:
            raise invalid_from_validation(exc, code=StationsError.INVALID_HOURS) from exc
        rows.setdefault((row.date, row.closed, row.opens, row.closes), row)
    HoursException.objects.filter(**_owner(place)).delete()
    HoursException.objects.bulk_create(rows.values())


def _visit_limits(user) -> list[Limit]:
    return [
        Limit(
            key=f"station_visits:{user.pk}",
            rate=rate,
            message=_("打卡太频繁了，请稍后再试。"),
        )
        for rate in rates_parse(settings.STATION_VISIT_RATE)
    ]


def _travel_flag(*, user, station: Station, at: datetime) -> str:
    """Why the visit is implausible, or "": the worker's visit just before or just after `at`
    is at a station farther away than `VISIT_MAX_SPEED_KMH` covers in the time between (two
    stations within the visit radius of each other count as one place)."""
    max_speed = settings.VISIT_MAX_SPEED_KMH
    for other in visits_around(user=user, at=at):
        distance = haversine_m(station.lat, station.lng, other.station.lat, other.station.lng)
        if distance <= settings.STATION_VISIT_RADIUS_M:
            continue
        seconds = abs((at - other.visited_at).total_seconds())
        speed = math.inf if seconds == 0 else distance / seconds * 3.6
        if speed > max_speed:
            # Stored for reviewers, in the programme's language whatever the request's.
            with translation.override(settings.LANGUAGE_CODE):
                return gettext(
                    "与 %(station)s 的打卡（%(when)s）相距 %(km).1f 公里，只隔 %(seconds)d 秒，"
                    "超过每小时 %(max)d 公里。"
                ) % {
                    "station": other.station.name,
                    "when": timezone.localtime(other.visited_at).strftime("%m-%d %H:%M:%S"),
                    "km": distance / 1000,
                    "seconds": int(seconds),
                    "max": int(max_speed),
                }
    return ""


def _announce(visit: StationVisit) -> None:
    station = visit.station
    publish(
        VisitRecorded(
            visit_id=visit.pk,
            user_id=visit.user_id,
            station_id=station.pk,
            station_name=station.name,
            region_code=station.region.code,
            verified=visit.verified,
            flagged=visit.flagged,
            occurred_at=visit.visited_at,
        )
    )


@transaction.atomic
def visit_record(
    *,
    user,
    station: Station,
    at: datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    accuracy_m: float | None = None,
) -> tuple[StationVisit, bool]:
    """Record that the worker is at the station (驿站打卡): once per worker, station and local
    day (the station's region's time zone); a second scan that day returns the first visit
    (`False`). A new visit is announced as `stations.visit_recorded`, which points may award and
    the station's figures count.

    The rules that make a visit evidence of presence:
    - the device's location (`lat`, `lng`, WGS-84, and its `accuracy_m`), when sent, must be
      within `STATION_VISIT_RADIUS_M` of the station (else `too_far_from_station`, nothing
      recorded); it makes the visit `verified`. Without one the visit is recorded, unverified,
      and earning rules that require verified visits pay nothing for it;
    - a worker records at most `STATION_VISIT_RATE` new visits (429 with the wait); the bucket's
      row lock also serialises one worker's visits, so the travel check below sees each one;
    - a visit farther from the worker's visit just before (or after) than `VISIT_MAX_SPEED_KMH`
      allows in the time between is `flagged`: it earns nothing until a reviewer accepts it
      (`visit_review`)."""
    at = at or timezone.now()
    location = visit_location_check(station=station, lat=lat, lng=lng, accuracy_m=accuracy_m)
    day = visit_day(station=station, at=at)
    existing = StationVisit.objects.filter(user=user, station=station, day=day).first()
    if existing is not None:
        return existing, False
    rate_limits_consume(limits=_visit_limits(user))
    reason = _travel_flag(user=user, station=station, at=at)
    accuracy = None
    if location is not None and location.accuracy_m is not None:
        accuracy = round(min(location.accuracy_m, 1_000_000))
    try:
        with transaction.atomic():
            visit = StationVisit.objects.create(
                user=user,
                station=station,
                day=day,
                visited_at=at,
                city_code=station.city_code,
                verified=location is not None and location.verified,
                distance_m=round(location.distance_m) if location is not None else None,
                accuracy_m=accuracy,
                flagged=bool(reason),
                flag_reason=reason[:255],
            )
    except IntegrityError:
        return StationVisit.objects.get(user=user, station=station, day=day), False
    _announce(visit)
    return visit, True


@transaction.atomic
def visit_review(*, actor, visit: StationVisit, accept: bool) -> StationVisit:
    """A reviewer decides a flagged visit (`station_visit.review`: the region admins above the
    station). Accepted, it is unflagged and announced again, so the points it earns are paid
    now; rejected, it stays flagged with its reviewer and earns nothing. Audited either way."""
    require(actor, "station_visit.review", visit)
    visit = (
        StationVisit.objects.select_for_update()
        .select_related("station__region", "user")
        .get(pk=visit.pk)
    )
    if not visit.flagged or visit.reviewed_at is not None:
        raise Conflict(
            _("这条打卡不在待核查之列。"),
            code=StationsError.VISIT_NOT_FLAGGED,
            extra={"entity": "station_visit"},
        )
    visit.flagged = not accept
    visit.reviewed_at = timezone.now()
    visit.reviewed_by = actor
    visit.save(update_fields=["flagged", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action="stations.visit_accepted" if accept else "stations.visit_rejected",
        subject=visit.user,
        target=visit,
        region_code=visit.station.region.code,
        detail={"station_id": visit.station_id, "flag_reason": visit.flag_reason},
    )
    if accept:
        _announce(visit)
    return visit


@transaction.atomic
def station_visit_code_rotate(*, station: Station, actor) -> Station:
    """Give the station a new visit code secret (打卡码), for those who may print its poster:
    every poster printed before stops working at once, so it is reprinted. Audited, without
    the secret."""
    require(actor, "station.print_poster", station)
    station = Station.objects.select_for_update().select_related("region").get(pk=station.pk)
    station.visit_code = new_visit_code()
    station.save(update_fields=["visit_code", "updated_at"])
    audit_record(
        actor=actor,
        action="stations.visit_code_rotated",
        target=station,
        region_code=station.region.code,
    )
    return station


@transaction.atomic
def station_stars_set(
    *,
    station: Station,
    stars: int,
    valid_until: date | None,
    reason: str,
    actor=None,
) -> Station:
    """Give the station its star level (星级, 0 = unrated, up to 5) and the last day it holds
    (`valid_until`, None: no end). The standards app calls it when an assessment is approved,
    when stars expire, or when a veto rule takes them away; `reason` says which, for the audit
    log and the `stations.stars_changed` event announced on commit (also when only the
    validity changed; nothing is announced when neither did). No permission check here: the
    caller's own workflow checked who may award stars. The row lock serialises two callers."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= STARS_MAX:
        raise InvalidInput(
            _("星级应是 0 到 5 之间的整数。"),
            code=StationsError.INVALID_STARS,
            errors=[field_error("stars", StationsError.INVALID_STARS, _("星级应在 0 到 5 之间。"))],
        )
    station = Station.objects.select_for_update().select_related("region").get(pk=station.pk)
    previous, previous_until = station.stars, station.stars_valid_until
    if (previous, previous_until) == (stars, valid_until):
        return station
    station.stars = stars
    station.stars_valid_until = valid_until
    station.save(update_fields=["stars", "stars_valid_until", "updated_at"])
    audit_record(
        actor=actor,
        action="stations.stars_changed",
        target=station,
        region_code=station.region.code,
        detail={
            "stars": stars,
            "previous_stars": previous,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "reason": reason,
        },
    )
    publish(
        StarsChanged(
            station_id=station.pk,
            station_uuid=station.uuid,
            region_code=station.region.code,
            city_code=station.city_code,
            stars=stars,
            previous_stars=previous,
            valid_until=valid_until,
            reason=reason,
            occurred_at=timezone.now(),
        )
    )
    return station


@transaction.atomic
def station_facts_confirm(*, station: Station, actor) -> Station:
    """Say the station's facts (area, seats, amenities, hours, contact) are still true
    ("信息已核实"): its manager or the region admins above it (`station.confirm_facts`). The
    standards app measures the days since. Audited."""
    require(actor, "station.confirm_facts", station)
    station = Station.objects.select_for_update().select_related("region").get(pk=station.pk)
    station.facts_confirmed_at = timezone.now()
    station.save(update_fields=["facts_confirmed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="stations.facts_confirmed",
        target=station,
        region_code=station.region.code,
    )
    return station


@transaction.atomic
def station_facts_update(
    *, station: Station, actor, area_m2: int | None, seats: int | None, confirm: bool = False
) -> Station:
    """Correct the station's area and seat count (`station.change`: its manager, the region
    admins above it), and with `confirm` also say its facts are true as they now stand."""
    require(actor, "station.change", station)
    station = station_update(station=station, area_m2=area_m2, seats=seats)
    if confirm:
        station = station_facts_confirm(station=station, actor=actor)
    return station


MAX_IDEMPOTENCY_KEY = 100


def _idempotency_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        message = _("请在 Idempotency-Key 请求头中发送 1 到 100 个字符。")
        raise InvalidInput(
            message,
            code=StationsError.IDEMPOTENCY_KEY_REQUIRED,
            errors=[
                field_error(
                    "Idempotency-Key",
                    StationsError.IDEMPOTENCY_KEY_REQUIRED,
                    message,
                    loc=["header", "Idempotency-Key"],
                )
            ],
        )
    return key


def _service_log_check(
    *, station: Station, day: date, kind: ServiceKind | None, kind_code: str, bottles
) -> None:
    errors = []
    if kind is None:
        errors.append(
            field_error(
                "kind",
                StationsError.UNKNOWN_SERVICE_KIND,
                _("未知的服务类型：%(code)s") % {"code": kind_code},
            )
        )
    elif kind.counts_bottles and bottles is None:
        errors.append(field_error("bottles", CoreError.REQUIRED, _("冰箱补给请填写发放的瓶数。")))
    elif not kind.counts_bottles and bottles is not None:
        errors.append(
            field_error("bottles", StationsError.INVALID_SERVICE_LOG, _("只有冰箱补给记录瓶数。"))
        )
    if day > visit_day(station=station, at=timezone.now()):
        errors.append(
            field_error("date", StationsError.INVALID_SERVICE_LOG, _("日期不能晚于今天。"))
        )
    if errors:
        raise InvalidInput(
            _("服务记录有误，请检查标出的内容。"),
            code=StationsError.INVALID_SERVICE_LOG,
            errors=errors,
        )


def service_log_add(
    *,
    actor,
    station: Station,
    day: date,
    kind_code: str,
    people_served: int,
    idempotency_key: str,
    bottles: int | None = None,
    note: str = "",
    photo=None,
) -> tuple[StationServiceLog, bool]:
    """Add a service the station held on `day` to its work log (`station_service.log`: its
    manager, the region admins above it), announced as `stations.service_logged`.

    - Idempotent per person and `idempotency_key`: the same key again returns the first entry
      (`False`); the same key for another station is a 409 (`idempotency_key_reused`).
    - `kind_code` is an active `ServiceKind`; `bottles` is given for, and only for, the kinds
      that count bottles (the free-drinks fridge refills); `day` is not after the station's
      today.
    - `photo`, optional, goes through `core.photos` (decoded, re-encoded without metadata); it
      is deleted again if the entry is not saved."""
    require(actor, "station_service.log", station)
    key = _idempotency_key(idempotency_key)
    earlier = StationServiceLog.objects.filter(created_by=actor, idempotency_key=key).first()
    if earlier is not None:
        return _service_log_again(earlier, station), False
    kind = ServiceKind.objects.filter(code=kind_code, is_active=True).first()
    _service_log_check(station=station, day=day, kind=kind, kind_code=kind_code, bottles=bottles)
    processed = photo_process(photo, field="photo") if photo is not None else None
    try:
        with atomic_with_files() as files:
            station = Station.objects.select_related("region").get(pk=station.pk)
            entry = StationServiceLog(
                station=station,
                date=day,
                kind=kind,
                people_served=people_served,
                bottles=bottles,
                note=note,
                city_code=station.city_code,
                created_by=actor,
                idempotency_key=key,
            )
            if processed is not None:
                files.save(entry.photo, f"{station.pk}.jpg", processed.image)
            validated_save(entry, code=StationsError.INVALID_SERVICE_LOG)
            publish(
                ServiceLogged(
                    log_id=entry.pk,
                    station_id=station.pk,
                    region_code=station.region.code,
                    city_code=station.city_code,
                    date=entry.date,
                    kind=kind.code,
                    people_served=entry.people_served,
                    bottles=entry.bottles,
                    occurred_at=entry.created_at,
                )
            )
    except IntegrityError:
        # The same key sent twice at once: the other request's entry stands.
        earlier = StationServiceLog.objects.filter(created_by=actor, idempotency_key=key).first()
        if earlier is None:
            raise
        return _service_log_again(earlier, station), False
    return entry, True


def _service_log_again(earlier: StationServiceLog, station: Station) -> StationServiceLog:
    if earlier.station_id != station.pk:
        raise Conflict(
            _("这个 Idempotency-Key 已用于另一座驿站的服务记录，请刷新页面后重试。"),
            code=StationsError.IDEMPOTENCY_KEY_REUSED,
            extra={"service_log_id": earlier.pk},
        )
    return earlier


def station_photo_add(*, station: Station, upload, caption: str = "", actor=None) -> StationPhoto:
    """Add a photo to the station's page (`station.change`, unless `actor` is None: loaders).
    The upload goes through `core.photos`: decoded, re-encoded without metadata, and deleted
    again if the row is not saved."""
    if actor is not None:
        require(actor, "station.change", station)
    processed = photo_process(upload, field="photo")
    with atomic_with_files() as files:
        order = StationPhoto.objects.filter(station=station).count()
        photo = StationPhoto(station=station, caption=caption[:120], sort_order=order)
        files.save(photo.image, f"{station.pk}.jpg", processed.image)
        photo.save()
    return photo
