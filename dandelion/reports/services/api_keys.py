"""Open311 API keys: issued once, stored as a hash, revoked by the admin."""

import hashlib
import secrets
from datetime import datetime

from django.utils import timezone

from ..models import ApiKey

API_KEY_PREFIX = "o311_"


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
