"""Online registration (在线报到), the worker profile and consent to the privacy policy."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict, CoreError, ErrorCode, InvalidInput, field_error
from dandelion.core.errors import validated_save as _validated_save
from dandelion.core.events import publish
from dandelion.regions.selectors import region_find

from ..errors import AccountsError
from ..events import WorkerProfileChanged, WorkerRegistered
from ..models import User, WorkerProfile
from .sign_in import placeholder_display_name

MAX_SKILLS = 10
MAX_SKILL_LENGTH = 20
MAX_DISPLAY_NAME_LENGTH = 30
REQUIRED_AT_REGISTRATION = (
    "occupation",
    "platform",
    "work_region_code",
    "accept_policy_version",
)
REQUIRED_MESSAGE = _("此项为必填项")
REQUIRED_MESSAGES = {"accept_policy_version": _("请阅读并同意隐私政策")}
UPDATABLE = {
    "display_name",
    "occupation",
    "vehicle",
    "platform",
    "platform_other",
    "work_region_code",
    "is_volunteer",
    "skills",
    "real_name",
    "accept_policy_version",
}


def _invalid(field: str, message, code: ErrorCode) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[field_error(field, code, message)])


def _street(code: str):
    region = region_find(code=code)
    if region is None:
        raise _invalid(
            "work_region_code",
            _("没有代码为 %(code)s 的区划。") % {"code": code},
            CoreError.NOT_FOUND,
        )
    if region.level != region.Level.STREET:
        raise _invalid(
            "work_region_code", _("请选择你主要工作的街道（街道/乡镇）。"), AccountsError.NOT_STREET
        )
    return region


def _skills(skills: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(s.strip() for s in skills if s and s.strip()))
    if len(cleaned) > MAX_SKILLS or any(len(s) > MAX_SKILL_LENGTH for s in cleaned):
        raise _invalid(
            "skills",
            _("技能最多 %(count)s 项，每项不超过 %(length)s 字。")
            % {"count": MAX_SKILLS, "length": MAX_SKILL_LENGTH},
            AccountsError.INVALID_SKILLS,
        )
    return cleaned


def _check_policy(version: str) -> None:
    if version != settings.PRIVACY_POLICY_VERSION:
        raise _invalid(
            "accept_policy_version",
            _("请阅读并同意隐私政策（%(version)s 版）。")
            % {"version": settings.PRIVACY_POLICY_VERSION},
            AccountsError.CONSENT_REQUIRED,
        )


CHOICE_MESSAGES = {
    "occupation": _("请选择职业。"),
    "platform": _("请选择所属平台。"),
    "vehicle": _("请选择交通工具。"),
}
# Drivers drive; everyone else is taken to ride an e-bike until they say otherwise.
DRIVING_OCCUPATIONS = {
    WorkerProfile.Occupation.RIDE_HAILING_DRIVER,
    WorkerProfile.Occupation.TRUCK_DRIVER,
}


def _apply(profile: WorkerProfile, user: User, changes: dict[str, Any], now: datetime) -> None:
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        message = _("不能修改这些字段：%(fields)s。") % {"fields": ", ".join(unknown)}
        raise InvalidInput(
            message,
            code=AccountsError.UNKNOWN_FIELDS,
            errors=[field_error(f, AccountsError.UNKNOWN_FIELDS, message) for f in unknown],
        )
    for field in ("occupation", "platform", "vehicle"):
        if field in changes:
            choices = getattr(WorkerProfile, field.capitalize()).values
            if changes[field] not in choices:
                raise _invalid(field, CHOICE_MESSAGES[field], AccountsError.INVALID_CHOICE)
            setattr(profile, field, changes[field])
    if "platform_other" in changes:
        profile.platform_other = (changes["platform_other"] or "").strip()
    if profile.platform != WorkerProfile.Platform.OTHER:
        profile.platform_other = ""
    elif not profile.platform_other:
        raise _invalid("platform_other", _("请填写平台名称。"), CoreError.REQUIRED)
    if "work_region_code" in changes:
        profile.work_region = _street(changes["work_region_code"])
    if "is_volunteer" in changes:
        profile.is_volunteer = bool(changes["is_volunteer"])
    if "skills" in changes:
        profile.skills = _skills(changes["skills"] or [])
    if "real_name" in changes:
        profile.real_name = (changes["real_name"] or "").strip()
    if (changes.get("display_name") or "").strip():
        name = changes["display_name"].strip()
        if len(name) > MAX_DISPLAY_NAME_LENGTH:
            raise _invalid(
                "display_name",
                _("称呼不超过 %(length)s 字。") % {"length": MAX_DISPLAY_NAME_LENGTH},
                CoreError.TOO_LONG,
            )
        user.display_name = name
        user.save(update_fields=["display_name"])
    if changes.get("accept_policy_version") is not None:
        _check_policy(changes["accept_policy_version"])
        profile.consent_policy_version = changes["accept_policy_version"]
        profile.consented_at = now
        profile.consent_withdrawn_at = None
    profile.updated_at = now


def _audit_consent(user: User, profile: WorkerProfile) -> None:
    audit_record(
        actor=user,
        action="consent.give",
        subject=user,
        target=profile,
        region_code=profile.work_region.code,
        detail={"policy_version": profile.consent_policy_version},
    )


def _require(missing: list[str]) -> None:
    if missing:
        raise InvalidInput(
            _("报到还需要填写：%(fields)s。") % {"fields": ", ".join(missing)},
            code=CoreError.REQUIRED,
            errors=[
                field_error(f, CoreError.REQUIRED, REQUIRED_MESSAGES.get(f, REQUIRED_MESSAGE))
                for f in missing
            ],
        )


@transaction.atomic
def worker_register(
    *, user: User, changes: dict[str, Any], now: datetime | None = None
) -> WorkerProfile:
    """Registration (报到): occupation, platform, work street and consent to the current policy
    are required; volunteering, skills, real name and a display name are optional. Without a
    display name, a real name replaces the placeholder name the worker signed in with."""
    now = now or timezone.now()
    if WorkerProfile.objects.filter(user=user).exists():
        raise Conflict(_("你已经报到过了。"), code=AccountsError.ALREADY_REGISTERED)
    _require([f for f in REQUIRED_AT_REGISTRATION if changes.get(f) in (None, "")])
    profile = WorkerProfile(user=user, registered_at=now)
    real_name = (changes.get("real_name") or "").strip()
    if (
        real_name
        and not (changes.get("display_name") or "").strip()
        and user.display_name == placeholder_display_name(user.phone or "")
    ):
        # A worker who gives their name is called by it, not by the placeholder 用户5678.
        changes = {**changes, "display_name": real_name}
    if not changes.get("vehicle"):
        driving = changes.get("occupation") in DRIVING_OCCUPATIONS
        changes = {**changes, "vehicle": "car" if driving else "e_bike"}
    _apply(profile, user, changes, now)
    _validated_save(profile)
    _audit_consent(user, profile)
    publish(
        WorkerRegistered(
            occurred_at=profile.registered_at,
            user_id=user.pk,
            region_code=profile.work_region.code,
            occupation=profile.occupation,
        )
    )
    return profile


@transaction.atomic
def worker_profile_update(
    *, user: User, changes: dict[str, Any], now: datetime | None = None
) -> WorkerProfile:
    """Change some profile fields; `accept_policy_version` renews consent (after a new policy)."""
    now = now or timezone.now()
    profile = (
        WorkerProfile.objects.select_for_update()
        .select_related("work_region")
        .filter(user=user)
        .first()
    )
    if profile is None:
        raise Conflict(_("请先完成在线报到。"), code=AccountsError.REGISTRATION_REQUIRED)
    previous_region, previous_occupation = profile.work_region, profile.occupation
    renewing = changes.get("accept_policy_version") is not None
    # A required answer can be changed but not emptied.
    _require(
        [
            f
            for f in REQUIRED_AT_REGISTRATION
            if f != "accept_policy_version" and f in changes and changes[f] in (None, "")
        ]
    )
    _apply(profile, user, changes, now)
    _validated_save(profile)
    if renewing:
        _audit_consent(user, profile)
    moved = profile.work_region_id != previous_region.pk
    changed = ("work_region",) * moved + ("occupation",) * (
        profile.occupation != previous_occupation
    )
    if changed:
        # The figures count a worker under their street and occupation.
        publish(
            WorkerProfileChanged(
                occurred_at=now,
                user_id=user.pk,
                region_code=profile.work_region.code,
                previous_region_code=previous_region.code if moved else None,
                occupation=profile.occupation,
                changed=changed,
                registered_at=profile.registered_at,
            )
        )
    return profile
