"""Model → response dict. Every phone number here is masked."""

from django.conf import settings

from dandelion.core.privacy import phone_mask
from dandelion.core.refs import region_ref, user_ref

from ..models import RoleAssignment, User, WorkerProfile
from ..selectors import consent_is_current, role_assignments_of, worker_profile_of


def scope_fields(assignment: RoleAssignment) -> dict:
    if assignment.region_id:
        scope_type = "region"
    elif assignment.organisation_id:
        scope_type = "organisation"
    else:
        scope_type = "station"
    scope = assignment.scope
    return {"scope_type": scope_type, "scope_id": scope.pk, "scope_name": scope.name}


def role_payload(assignment: RoleAssignment) -> dict:
    return {
        "id": assignment.pk,
        "role": assignment.role,
        "role_label": str(assignment.get_role_display()),
        **scope_fields(assignment),
    }


def role_assignment_payload(assignment: RoleAssignment) -> dict:
    return {
        **role_payload(assignment),
        "user": user_ref(assignment.user),
        "created_at": assignment.created_at,
    }


def profile_payload(profile: WorkerProfile | None) -> dict | None:
    if profile is None or profile.consent_withdrawn_at is not None:
        return None
    return {
        "occupation": profile.occupation,
        "occupation_label": str(profile.get_occupation_display()),
        "platform": profile.platform,
        "platform_label": str(profile.platform_label),
        "platform_other": profile.platform_other,
        "vehicle": profile.vehicle,
        "vehicle_label": str(profile.get_vehicle_display()),
        "work_region": region_ref(profile.work_region),
        "is_volunteer": profile.is_volunteer,
        "skills": profile.skills,
        "real_name": profile.real_name,
        "consent_policy_version": profile.consent_policy_version,
        "consented_at": profile.consented_at,
        "registered_at": profile.registered_at,
    }


def me_payload(user: User) -> dict:
    profile = worker_profile_of(user=user)
    return {
        "id": user.pk,
        "display_name": str(user),
        "phone": phone_mask(user.phone),
        "is_staff": user.is_staff,
        "registered": profile is not None,
        "consent_current": consent_is_current(profile),
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
        "profile": profile_payload(profile),
        "roles": [role_payload(a) for a in role_assignments_of(user=user)],
    }


def user_payload(user: User) -> dict:
    profile = getattr(user, "worker_profile", None)
    return {
        "id": user.pk,
        "display_name": str(user),
        "phone": phone_mask(user.phone),
        "is_staff": user.is_staff,
        "date_joined": user.date_joined,
        "occupation": profile.occupation if profile else None,
        "platform_label": str(profile.platform_label) if profile else None,
        "work_region": region_ref(profile.work_region) if profile else None,
        "is_volunteer": profile.is_volunteer if profile else None,
    }
