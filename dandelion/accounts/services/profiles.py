"""Online check-in (在线报到), the worker profile and consent to the privacy policy."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, InvalidInput
from dandelion.regions.models import Region

from ..models import User, WorkerProfile

MAX_SKILLS = 10
MAX_SKILL_LENGTH = 20
REQUIRED_AT_CHECK_IN = ("occupation", "platform", "work_region_code", "accept_policy_version")
UPDATABLE = {
    "display_name",
    "occupation",
    "platform",
    "platform_other",
    "work_region_code",
    "is_volunteer",
    "skills",
    "real_name",
    "accept_policy_version",
}


def _invalid(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[{"field": field, "msg": message}])


def _street(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise _invalid("work_region_code", f"No region with code {code}.", "unknown_region")
    if region.level != Region.Level.STREET:
        raise _invalid(
            "work_region_code", "Choose the street (街道/乡镇) where you mostly work.", "not_street"
        )
    return region


def _skills(skills: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(s.strip() for s in skills if s and s.strip()))
    if len(cleaned) > MAX_SKILLS or any(len(s) > MAX_SKILL_LENGTH for s in cleaned):
        raise _invalid(
            "skills",
            f"At most {MAX_SKILLS} skills of {MAX_SKILL_LENGTH} characters each.",
            "invalid_skills",
        )
    return cleaned


def _check_policy(version: str) -> None:
    if version != settings.PRIVACY_POLICY_VERSION:
        raise _invalid(
            "accept_policy_version",
            f"Consent must be to the current privacy policy ({settings.PRIVACY_POLICY_VERSION}).",
            "consent_required",
        )


def _apply(profile: WorkerProfile, user: User, changes: dict[str, Any], now: datetime) -> None:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise InvalidInput(
            f"Unknown fields: {', '.join(sorted(unknown))}.",
            code="unknown_fields",
            errors=[{"field": f, "msg": "unknown field"} for f in sorted(unknown)],
        )
    for field in ("occupation", "platform"):
        if field in changes:
            choices = getattr(WorkerProfile, field.capitalize()).values
            if changes[field] not in choices:
                raise _invalid(field, f"Unknown {field} {changes[field]!r}.", f"invalid_{field}")
            setattr(profile, field, changes[field])
    if "platform_other" in changes:
        profile.platform_other = (changes["platform_other"] or "").strip()
    if profile.platform != WorkerProfile.Platform.OTHER:
        profile.platform_other = ""
    elif not profile.platform_other:
        raise _invalid("platform_other", "Name the platform.", "platform_other_required")
    if "work_region_code" in changes:
        profile.work_region = _street(changes["work_region_code"])
    if "is_volunteer" in changes:
        profile.is_volunteer = bool(changes["is_volunteer"])
    if "skills" in changes:
        profile.skills = _skills(changes["skills"] or [])
    if "real_name" in changes:
        profile.real_name = (changes["real_name"] or "").strip()
    if changes.get("display_name"):
        user.display_name = changes["display_name"].strip()
        user.save(update_fields=["display_name"])
    if changes.get("accept_policy_version") is not None:
        _check_policy(changes["accept_policy_version"])
        profile.consent_policy_version = changes["accept_policy_version"]
        profile.consented_at = now
        profile.consent_withdrawn_at = None
    profile.updated_at = now


def _validated_save(profile: WorkerProfile) -> None:
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise InvalidInput(
            "Invalid profile.",
            code="invalid_profile",
            errors=[
                {"field": field, "msg": str(msg)}
                for field, msgs in exc.message_dict.items()
                for msg in msgs
            ],
        ) from exc
    profile.save()


def _audit_consent(user: User, profile: WorkerProfile) -> None:
    audit_record(
        actor=user,
        action="consent.give",
        subject=user,
        target=profile,
        region_code=profile.work_region.code,
        detail={"policy_version": profile.consent_policy_version},
    )


@transaction.atomic
def worker_check_in(
    *, user: User, changes: dict[str, Any], now: datetime | None = None
) -> WorkerProfile:
    """First check-in: occupation, platform, work street and consent to the current policy are
    required; volunteering, skills, real name and a display name are optional."""
    now = now or timezone.now()
    if WorkerProfile.objects.filter(user=user).exists():
        raise Conflict("You have already checked in.", code="already_checked_in")
    missing = [f for f in REQUIRED_AT_CHECK_IN if changes.get(f) in (None, "")]
    if missing:
        raise InvalidInput(
            f"Check-in needs: {', '.join(missing)}.",
            code="check_in_incomplete",
            errors=[{"field": f, "msg": "required at check-in"} for f in missing],
        )
    profile = WorkerProfile(user=user, checked_in_at=now)
    _apply(profile, user, changes, now)
    _validated_save(profile)
    _audit_consent(user, profile)
    return profile


@transaction.atomic
def worker_profile_update(
    *, user: User, changes: dict[str, Any], now: datetime | None = None
) -> WorkerProfile:
    """Change some profile fields; `accept_policy_version` renews consent (after a new policy)."""
    now = now or timezone.now()
    profile = WorkerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise Conflict("Check in first.", code="check_in_required")
    renewing = changes.get("accept_policy_version") is not None
    _apply(profile, user, changes, now)
    _validated_save(profile)
    if renewing:
        _audit_consent(user, profile)
    return profile
