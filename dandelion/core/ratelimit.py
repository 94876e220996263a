"""Rate limits kept in the database, so every app process sees the same counters without Redis.

A limit is a fixed window: the first hit opens a window of `seconds`; at most `limit` hits are
allowed inside it; the caller is told how long until the window closes (`Retry-After`). Buckets
are rows of `RateLimitBucket` locked with `SELECT … FOR UPDATE` (on SQLite the IMMEDIATE
transaction already serialises writers), taken in key order so two requests never wait on each
other in opposite orders.
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import CoreError, ErrorCode, InvalidInput, Message, RateLimited
from .models import RateLimitBucket


@dataclass(frozen=True)
class Rate:
    """At most `limit` hits per `seconds`."""

    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """`"5/3600"` → Rate(5, 3600)."""
        try:
            limit, seconds = (int(part) for part in text.strip().split("/"))
        except ValueError as exc:
            raise InvalidInput(f"Bad rate {text!r}; expected COUNT/SECONDS.") from exc
        if limit < 1 or seconds < 1:
            raise InvalidInput(f"Bad rate {text!r}; both parts must be positive.")
        return cls(limit, seconds)


def rates_parse(text: str) -> tuple[Rate, ...]:
    """`"1/60,5/3600"` → two rates, all of which apply."""
    return tuple(Rate.parse(part) for part in text.split(",") if part.strip())


TOO_MANY = _("操作太频繁了，请稍后再试。")


@dataclass(frozen=True)
class Limit:
    """One counter: `key` names what is counted (a phone, an address, a username)."""

    key: str
    rate: Rate
    code: ErrorCode = CoreError.RATE_LIMITED
    message: Message = TOO_MANY

    @property
    def key_hash(self) -> str:
        raw = f"{self.key}|{self.rate.seconds}".encode()
        return hashlib.sha256(raw).hexdigest()


def _retry_after(bucket: RateLimitBucket, now: datetime) -> int:
    return max(1, math.ceil((bucket.expires_at - now).total_seconds()))


def _bucket_for_update(limit: Limit, now: datetime) -> RateLimitBucket:
    key_hash = limit.key_hash
    bucket = RateLimitBucket.objects.select_for_update().filter(key_hash=key_hash).first()
    if bucket is None:
        try:
            with transaction.atomic():
                bucket = RateLimitBucket.objects.create(
                    key_hash=key_hash,
                    window_start=now,
                    window_seconds=limit.rate.seconds,
                    count=0,
                    expires_at=now + timedelta(seconds=limit.rate.seconds),
                )
        except IntegrityError:  # another process created it between our read and insert
            bucket = RateLimitBucket.objects.select_for_update().get(key_hash=key_hash)
    if bucket.expires_at <= now:
        bucket.window_start = now
        bucket.window_seconds = limit.rate.seconds
        bucket.count = 0
        bucket.expires_at = now + timedelta(seconds=limit.rate.seconds)
    return bucket


def _locked(limits: Iterable[Limit], now: datetime) -> list[tuple[Limit, RateLimitBucket]]:
    ordered = sorted(limits, key=lambda limit: limit.key_hash)
    return [(limit, _bucket_for_update(limit, now)) for limit in ordered]


def _raise_if_exhausted(pairs: Sequence[tuple[Limit, RateLimitBucket]], now: datetime) -> None:
    blocked = [(limit, bucket) for limit, bucket in pairs if bucket.count >= limit.rate.limit]
    if not blocked:
        return
    limit, bucket = max(blocked, key=lambda pair: pair[1].expires_at)
    raise RateLimited(limit.message, retry_after=_retry_after(bucket, now), code=limit.code)


@transaction.atomic
def rate_limits_consume(*, limits: Sequence[Limit], now: datetime | None = None) -> None:
    """Count one hit against every limit, or none if any is exhausted (then `RateLimited` with
    the longest wait among the exhausted ones)."""
    now = now or timezone.now()
    pairs = _locked(limits, now)
    _raise_if_exhausted(pairs, now)
    for _limit, bucket in pairs:
        bucket.count += 1
        bucket.save()


def rate_limits_check(*, limits: Sequence[Limit], now: datetime | None = None) -> None:
    """Raise `RateLimited` if any limit is exhausted; count nothing."""
    now = now or timezone.now()
    hashes = {limit.key_hash: limit for limit in limits}
    buckets = RateLimitBucket.objects.filter(key_hash__in=hashes, expires_at__gt=now)
    _raise_if_exhausted([(hashes[b.key_hash], b) for b in buckets], now)


@transaction.atomic
def rate_limits_record(*, limits: Sequence[Limit], now: datetime | None = None) -> None:
    """Count a failure against every limit without refusing it: the lock-out counter.

    When a count reaches its limit the window restarts at that moment, so a lock-out always lasts
    a full window after the failure that caused it, however the earlier failures were spread.
    """
    now = now or timezone.now()
    for limit, bucket in _locked(limits, now):
        bucket.count += 1
        if bucket.count == limit.rate.limit:
            bucket.window_start = now
            bucket.expires_at = now + timedelta(seconds=limit.rate.seconds)
        bucket.save()


def rate_limits_reset(*, limits: Sequence[Limit]) -> None:
    RateLimitBucket.objects.filter(key_hash__in=[limit.key_hash for limit in limits]).delete()


def rate_limits_purge(*, now: datetime | None = None) -> int:
    """Delete buckets whose window has closed; they count nothing any more."""
    deleted, _ = RateLimitBucket.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _submission_limits(*, person, kind: str) -> list[Limit]:
    by_kind = getattr(settings, "SUBMISSION_RATES_BY_KIND", {}) or {}
    rates = rates_parse(
        by_kind.get(kind) or getattr(settings, "SUBMISSION_RATES", "10/600,50/86400")
    )
    return [
        Limit(
            key=f"submissions:{kind}:{person.pk}",
            rate=rate,
            message=_("提交太频繁了，请稍后再试。"),
        )
        for rate in rates
    ]


def submissions_consume(*, person, kind: str, now: datetime | None = None) -> None:
    """Count one submission of `kind` (a report, a need, a wish…) by `person`, or refuse it
    with a 429 naming how long to wait once they have made `SUBMISSION_RATES` of that kind
    (default 10 in 10 minutes and 50 a day). Call it inside the transaction that stores the
    submission, so a refused or failed one counts nothing."""
    rate_limits_consume(limits=_submission_limits(person=person, kind=kind), now=now)


def submissions_check(*, person, kind: str, now: datetime | None = None) -> None:
    """Refuse (429) a person who has no submission of `kind` left, counting nothing: asked
    before costly work done outside the transaction (decoding photos), so that a refused
    submission costs little. `submissions_consume` still decides, in the transaction."""
    rate_limits_check(limits=_submission_limits(person=person, kind=kind), now=now)


def client_address(request) -> str:
    """The client's IP address. Behind `RATELIMIT_TRUSTED_PROXIES` proxies, the address the
    nearest untrusted hop gave in `X-Forwarded-For`; otherwise the socket's peer."""
    trusted = int(getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 0))
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h]
    if len(hops) < trusted:
        return remote
    return hops[-trusted]
