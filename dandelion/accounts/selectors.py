"""All reads of accounts: profiles, people (scoped), roles, the personal-data export."""

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from dandelion.core.audit import SensitiveRead, audit_reads, audit_record
from dandelion.core.models import AuditEvent
from dandelion.core.permissions import get_permitted, scope_queryset

from .hooks import export_sections
from .models import ApiToken, RoleAssignment, User, WorkerProfile


def worker_profile_of(*, user: User) -> WorkerProfile | None:
    return WorkerProfile.objects.select_related("work_region").filter(user=user).first()


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
    """People the actor may see (`user.view` in their scope), active ones only."""
    qs = User.objects.filter(is_active=True).select_related("worker_profile__work_region")
    if text:
        qs = qs.filter(Q(display_name__icontains=text) | Q(username__icontains=text))
    if role:
        qs = qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    return scope_queryset(actor, "user.view", qs).order_by("id")


def user_get(*, actor: User, user_id: int) -> User:
    return get_permitted(
        actor,
        "user.view",
        User.objects.select_related("worker_profile__work_region"),
        pk=user_id,
    )


def user_phone_read(*, actor: User, user_id: int) -> User:
    """The person whose full phone number the actor may read (`user.view_phone`); the read is
    written to the audit log."""
    user = get_permitted(
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
    qs = RoleAssignment.objects.select_related(
        "user", "region", "organisation", "station", "granted_by"
    )
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if role:
        qs = qs.filter(role=role)
    return scope_queryset(actor, "role.view", qs).order_by("id")


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
        "checked_in_at": profile.checked_in_at,
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
