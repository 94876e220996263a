"""Stars between assessments: expiry, veto rules and the spot checks they count.

`stars_expire_and_veto` runs on the clock (`register_periodic`, hourly) and is safe to run
twice or from two machines: each change takes the station's row lock in
`station_stars_set`, and each veto is recorded once per basis (`VetoApplied`).
- A star level whose `stars_valid_until` has passed goes back to 0 (unrated).
- `unfixed_complaint`: a report filed within `COMPLAINT_RADIUS_M` of the station, still not
  fixed or closed `days` after it was filed, applies the rule's effect once per report.
- `missed_opening`: `count` spot checks within the last `days` that found the station closed
  while its hours said open apply the effect once; the checks counted are not counted again.
Effects: `lose_star` takes one star, `delist` (摘牌) takes them all. The station's managers
and the region admins above it are told each time.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.accounts.selectors import role_holder_ids, station_role_holder_ids
from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.permissions import get_permitted
from dandelion.notifications.services import notification_send
from dandelion.reports.selectors import reports_near_unfixed
from dandelion.stations import services as station_services
from dandelion.stations.selectors import place_is_open, station_list

from .. import selectors
from ..models import SpotCheck, VetoApplied, VetoRule

COMPLAINT_RADIUS_M = 100
SPOT_CHECK_PAST = timedelta(days=366)


def _recipients(station) -> list[int]:
    prefixes = [r.code_prefix for r in selectors.ancestors(station.region)]
    ids = {row["user_id"] for row in role_holder_ids(role="region_admin", region_prefixes=prefixes)}
    ids |= {
        row["user_id"]
        for row in station_role_holder_ids(role="station_manager", station_id=station.pk)
    }
    return sorted(ids)


def _tell(station, kind: str, params: dict) -> None:
    notification_send(
        recipients=_recipients(station),
        kind=kind,
        params={"station": station.name, **params},
    )


def _set(station, stars: int, valid_until, reason: str) -> None:
    station_services.station_stars_set(
        station=station, stars=stars, valid_until=valid_until, reason=reason
    )


def _expire(now: datetime) -> int:
    today = timezone.localdate(now)
    expired = 0
    for station in station_list(statuses=()).filter(stars__gt=0, stars_valid_until__lt=today):
        with transaction.atomic():
            _set(station, 0, None, "expired")
            _tell(station, "standards.stars_expired", {"stars": station.stars})
        expired += 1
    return expired


def _apply(station, rule: VetoRule, basis: str, now: datetime) -> bool:
    with transaction.atomic():
        if VetoApplied.objects.filter(station=station, rule=rule, basis=basis).exists():
            return False
        before = station.stars
        after = 0 if rule.effect == VetoRule.Effect.DELIST else max(0, before - 1)
        VetoApplied.objects.create(
            station=station,
            rule=rule,
            basis=basis,
            stars_before=before,
            stars_after=after,
            applied_at=now,
        )
        _set(station, after, station.stars_valid_until if after else None, f"veto:{rule.kind}")
        station.stars = after
        _tell(
            station,
            "standards.stars_vetoed",
            {"rule": str(rule.get_kind_display()), "before": before, "after": after},
        )
    return True


def _veto(now: datetime) -> int:
    applied = 0
    stations = station_list(statuses=()).filter(stars__gt=0).select_related("region__parent")
    standards: dict[int, object] = {}
    for station in stations:
        if station.region_id not in standards:
            standards[station.region_id] = selectors.standard_in_force(region=station.region)
        standard = standards[station.region_id]
        if standard is None:
            continue
        for rule in standard.vetoes.all():
            if station.stars == 0:
                break
            if rule.kind == VetoRule.Kind.UNFIXED_COMPLAINT:
                for report_id in reports_near_unfixed(
                    lat=station.lat,
                    lng=station.lng,
                    radius_m=COMPLAINT_RADIUS_M,
                    filed_before=now - timedelta(days=rule.days),
                ):
                    if station.stars and _apply(station, rule, f"report:{report_id}", now):
                        applied += 1
            elif rule.kind == VetoRule.Kind.MISSED_OPENING:
                counted = set()
                for basis in VetoApplied.objects.filter(
                    station=station, rule__kind=rule.kind
                ).values_list("basis", flat=True):
                    counted |= {int(i) for i in basis.removeprefix("checks:").split(",") if i}
                missed = [
                    c.pk
                    for c in SpotCheck.objects.filter(
                        station=station, checked_at__gte=now - timedelta(days=rule.days)
                    ).order_by("checked_at", "id")
                    if c.missed and c.pk not in counted
                ]
                if len(missed) >= rule.count:
                    basis = "checks:" + ",".join(str(i) for i in missed[: rule.count])
                    if _apply(station, rule, basis, now):
                        applied += 1
    return applied


def stars_expire_and_veto(now: datetime | None = None) -> dict[str, int]:
    """The periodic job: expire stars past validity, then apply the veto rules."""
    now = now or timezone.now()
    return {"expired": _expire(now), "vetoed": _veto(now)}


@transaction.atomic
def spot_check_record(
    *, actor, station_id: int, found_open: bool, at: datetime | None = None, note: str = ""
) -> SpotCheck:
    """Record an unannounced check (明察暗访) of a station's opening; whether its hours said it
    should be open is decided here, from the hours at that moment."""
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at) or not now - SPOT_CHECK_PAST <= at <= now + timedelta(hours=1):
        message = _("检查时间应在过去一年内。")
        raise InvalidInput(
            message, errors=[field_error("checked_at", CoreError.INVALID_INPUT, message)]
        )
    station = get_permitted(actor, "spot_check.record", station_list(statuses=()), pk=station_id)
    return SpotCheck.objects.create(
        station=station,
        checked_at=at,
        found_open=found_open,
        should_be_open=place_is_open(station, at),
        note=note.strip()[:300],
        checked_by=actor if getattr(actor, "pk", None) else None,
    )
