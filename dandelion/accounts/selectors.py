"""All reads of accounts: profiles, people (scoped), roles, the personal-data export."""

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dandelion.core.audit import SensitiveRead, audit_event_list, audit_reads, audit_record
from dandelion.core.errors import CoreError, NotFound
from dandelion.core.models import AuditEvent
from dandelion.core.permissions import get_scoped, grants_for, require, scope_queryset
from dandelion.regions.selectors import region_get

from .hooks import export_sections
from .models import ApiToken, RoleAssignment, User, WorkerProfile

# Offered on the registration form; free text is allowed too.
SKILL_SUGGESTIONS = [
    "急救",
    "维修电动车",
    "理发",
    "法律咨询",
    "心理疏导",
    "摄影",
    "驾驶",
    "文艺",
    "外语",
    "电脑维修",
]
# What a suggested skill is called in the reader's language; a skill is stored as its Chinese
# name (as suggested or as typed), so the name is translated where it is shown.
SKILL_LABELS = {
    "急救": _("急救"),
    "维修电动车": _("维修电动车"),
    "理发": _("理发"),
    "法律咨询": _("法律咨询"),
    "心理疏导": _("心理疏导"),
    "摄影": _("摄影"),
    "驾驶": _("驾驶"),
    "文艺": _("文艺"),
    "外语": _("外语"),
    "电脑维修": _("电脑维修"),
}


def skill_label(skill: str) -> str:
    """A skill in the reader's language when it is a known one; a typed skill as typed."""
    label = SKILL_LABELS.get(skill)
    return str(label) if label is not None else skill


def skills_text(skills) -> str:
    """Skills as one line in the reader's language ("急救、摄影" / "First aid, Photography")."""
    return str(pgettext_lazy("list separator", "、")).join(skill_label(s) for s in skills or ())


def registration_choices() -> dict[str, Any]:
    """What the registration (报到) form offers: occupations and platforms as (value, label)
    pairs, skill suggestions and the privacy policy version to accept."""
    return {
        "occupations": WorkerProfile.Occupation.choices,
        "platforms": WorkerProfile.Platform.choices,
        "vehicles": WorkerProfile.Vehicle.choices,
        "platform_other": WorkerProfile.Platform.OTHER.value,
        "skills": SKILL_SUGGESTIONS,
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
    }


def is_registered(*, user: User) -> bool:
    """Has the person registered (报到)? False for anonymous visitors."""
    return user.is_authenticated and WorkerProfile.objects.filter(user=user).exists()


def holds_staff_role(*, user: User) -> bool:
    """Does the person hold any staff role (a role assignment, or leading an organisation)?
    What decides whether someone is staff, never `is_staff` (which only opens the admin)."""
    return bool(grants_for(user)) or bool(getattr(user, "is_superuser", False))


def worker_profile_of(*, user: User) -> WorkerProfile | None:
    return WorkerProfile.objects.select_related("work_region").filter(user=user).first()


def worker_vehicle(*, user: User) -> str:
    """How the worker gets about (`WorkerProfile.Vehicle`); an e-bike for someone not
    registered: most people on the map are riders."""
    vehicle = (
        WorkerProfile.objects.filter(user=user, consent_withdrawn_at__isnull=True)
        .values_list("vehicle", flat=True)
        .first()
    )
    return vehicle or WorkerProfile.Vehicle.E_BIKE.value


def consent_is_current(profile: WorkerProfile | None) -> bool:
    return bool(
        profile is not None
        and profile.consent_withdrawn_at is None
        and profile.consent_policy_version == settings.PRIVACY_POLICY_VERSION
    )


def role_assignments_of(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related(
        "region", "organisation", "station"
    )


def user_list(*, actor: User, text: str | None = None, role: str | None = None) -> QuerySet[User]:
    """People the actor may see (`user.view` in their scope), active ones only; 403 for those
    whose roles do not see people at all."""
    require(actor, "user.view")
    qs = User.objects.filter(is_active=True).select_related("worker_profile__work_region")
    if text:
        qs = qs.filter(Q(display_name__icontains=text) | Q(username__icontains=text))
    if role:
        qs = qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    return scope_queryset(actor, "user.view", qs).order_by("id")


def user_get(*, actor: User, user_id: int) -> User:
    """A person the actor may see (`user.view` in their scope, or themselves). Refused alike
    whether or not the person exists: 404 for someone whose roles see people elsewhere, 403
    for someone whose roles see no people (`core.permissions.get_scoped`)."""
    return get_scoped(
        actor,
        "user.view",
        User.objects.select_related("worker_profile__work_region"),
        pk=user_id,
    )


def user_phone_read(*, actor: User, user_id: int) -> User:
    """The person whose full phone number the actor may read (`user.view_phone`); the read is
    written to the audit log. Refused alike whether or not the person exists (`get_scoped`)."""
    user = get_scoped(
        actor,
        "user.view_phone",
        User.objects.select_related("worker_profile__work_region"),
        pk=user_id,
    )
    profile = getattr(user, "worker_profile", None)
    audit_reads(
        actor=actor,
        field="phone",
        reads=[
            SensitiveRead(
                target=user,
                subject=user,
                region_code=profile.work_region.code if profile is not None else "",
            )
        ],
    )
    return user


def role_assignment_list(
    *, actor: User, user_id: int | None = None, role: str | None = None
) -> QuerySet[RoleAssignment]:
    require(actor, "role.view")
    qs = RoleAssignment.objects.select_related(
        "user", "region", "organisation", "station", "granted_by"
    )
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if role:
        qs = qs.filter(role=role)
    return scope_queryset(actor, "role.view", qs).order_by("id")


def role_assignment_for_revoking(*, actor: User, assignment_id: int) -> RoleAssignment:
    """A role assignment the actor may take away (`role.assign` over its scope). Refused alike
    whether or not it exists: 404 for a region admin outside their scope, 403 for everyone
    else (`core.permissions.get_scoped`)."""
    return get_scoped(
        actor,
        "role.assign",
        RoleAssignment.objects.select_related("user", "region", "organisation", "station"),
        pk=assignment_id,
    )


def _not_found(entity: str) -> NotFound:
    return NotFound(_("没有找到。"), code=CoreError.NOT_FOUND, extra={"entity": entity})


def person_get(*, actor: User, user_id: int) -> User:
    """The person a role is given to. Only someone who may grant roles somewhere learns
    whether a person exists (they name the person by id, who may not be in anyone's scope
    yet); everyone else is refused (403) before the person is looked up. The service checks
    the granter's scope."""
    require(actor, "role.assign")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise _not_found("user")
    return user


def role_scope_get(
    *,
    actor: User,
    region_code: str | None = None,
    organisation_id: int | None = None,
    station_id: int | None = None,
) -> dict[str, Any]:
    """The scope a role is held over, as the keyword role_assign takes (`{"region": …}`);
    403 before anything is looked up for someone who may grant roles nowhere. Organisations
    and stations are reached through the assignment's foreign keys, so accounts imports
    neither app."""
    require(actor, "role.assign")
    if region_code is not None:
        return {"region": region_get(code=region_code)}
    key, pk = (
        ("organisation", organisation_id)
        if organisation_id is not None
        else ("station", station_id)
    )
    model = RoleAssignment._meta.get_field(key).related_model
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise _not_found(key)
    return {key: obj}


def audit_events_for(
    *, actor: User, subject_id: int | None = None, action: str | None = None
) -> QuerySet[AuditEvent]:
    """The audit log within the actor's `audit.view` scope; 403 for those without the role."""
    require(actor, "audit.view")
    return audit_event_list(actor=actor, subject_id=subject_id, action=action)


def _profile_export(profile: WorkerProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "occupation": profile.occupation,
        "platform": profile.platform,
        "platform_other": profile.platform_other,
        "work_region": {"code": profile.work_region.code, "name": profile.work_region.name},
        "is_volunteer": profile.is_volunteer,
        "skills": profile.skills,
        "real_name": profile.real_name,
        "consent_policy_version": profile.consent_policy_version,
        "consented_at": profile.consented_at,
        "registered_at": profile.registered_at,
        "updated_at": profile.updated_at,
    }


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Dandelion holds about the person (PIPL art. 45), as JSON-ready data, including
    who has read their sensitive data. The export itself is logged."""
    profile = worker_profile_of(user=user)
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
        "account": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "phone": user.phone,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": _profile_export(profile),
        "roles": [
            {
                "role": a.role,
                "scope": str(a.scope),
                "created_at": a.created_at,
            }
            for a in role_assignments_of(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "key_prefix": t.key_prefix,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "audit_events_about_me": [
            {
                "at": e.created_at,
                "by": e.actor.display_name or e.actor.username if e.actor else None,
                "action": e.action,
                "field": e.field,
            }
            for e in AuditEvent.objects.filter(subject=user)
            .exclude(actor=user)
            .select_related("actor")
            .order_by("created_at", "id")
        ],
    }
    for name, section in export_sections().items():
        data[name] = section(user)
    audit_record(
        actor=user,
        action="account.export",
        subject=user,
        target=user,
        region_code=profile.work_region.code if profile is not None else "",
    )
    return data


def role_holder_ids(
    *,
    role: str,
    region_prefixes: list[str] | None = None,
    organisation_paths: list[str] | None = None,
) -> QuerySet[RoleAssignment]:
    """`user_id`s of the people holding `role` over one of these regions (by `code_prefix`) or
    active organisations (by path): whom to tell about a region's or a department's work."""
    qs = RoleAssignment.objects.filter(role=role)
    if region_prefixes is not None:
        qs = qs.filter(region__code_prefix__in=region_prefixes)
    if organisation_paths is not None:
        qs = qs.filter(organisation__path__in=organisation_paths, organisation__is_active=True)
    return qs.values("user_id")


def station_role_holder_ids(*, role: str, station_id: int) -> QuerySet[RoleAssignment]:
    """`user_id`s of the people holding `role` over one station (its station managers)."""
    return RoleAssignment.objects.filter(role=role, station_id=station_id).values("user_id")


def rows_for_figures() -> dict[str, QuerySet]:
    """Unscoped querysets of the rows the programme figures count, for the figures app's
    roll-ups and recounts only (it groups them by region and day; its API does the scoping)."""
    return {"workers": WorkerProfile.objects.all()}
