"""The signed-in person: profile and registration (在线报到), export and deletion of their data."""

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Router

from dandelion.core.api import problems
from dandelion.regions.selectors import streets_list

from .. import selectors, services
from .payloads import me_payload
from .schemas import MeOut, RegistrationOptionsOut, WorkerProfilePatch

router = Router(tags=["me"])


@router.get(
    "/me",
    response=MeOut,
    operation_id="me_get",
    summary="The signed-in person, their profile and roles",
)
def me_get(request: HttpRequest):
    return me_payload(request.user)


@router.patch(
    "/me",
    response={200: MeOut, **problems(409)},
    operation_id="me_update",
    summary="Register (在线报到) or change the profile",
    description=(
        "The first call is the registration: occupation, platform, work_region_code and "
        "accept_policy_version (the current privacy policy) are required. Later calls change "
        "any subset; sending accept_policy_version again renews consent after a policy change."
    ),
)
def me_update(request: HttpRequest, payload: WorkerProfilePatch):
    changes = payload.dict(exclude_unset=True)
    if selectors.is_registered(user=request.user):
        services.worker_profile_update(user=request.user, changes=changes)
    else:
        services.worker_register(user=request.user, changes=changes)
    return me_payload(request.user)


@router.get(
    "/me/registration-options",
    response=RegistrationOptionsOut,
    operation_id="me_registration_options",
    summary="Choices for the registration form: occupations, platforms, streets",
)
def me_registration_options(request: HttpRequest, district: str | None = None):
    choices = selectors.registration_choices()
    return {
        "occupations": [{"value": v, "label": str(label)} for v, label in choices["occupations"]],
        "platforms": [{"value": v, "label": str(label)} for v, label in choices["platforms"]],
        "skills": choices["skills"],
        "streets": [{"code": r.code, "name": r.name} for r in streets_list(district=district)],
        "privacy_policy_version": choices["privacy_policy_version"],
    }


@router.get(
    "/me/export",
    response=dict,
    operation_id="me_export",
    summary="Everything held about me, as JSON (PIPL data portability)",
)
def me_export(request: HttpRequest):
    return selectors.account_export(user=request.user)


@router.delete(
    "/me",
    response={204: None, **problems(409)},
    operation_id="me_delete",
    summary="Withdraw consent and delete (anonymise) my account",
    description=(
        "Removes the person from every record: records others rely on (memberships, "
        "confirmations, the audit log) stay, pointing at an anonymous account. Signs out."
    ),
)
def me_delete(request: HttpRequest):
    user = request.user
    services.account_anonymise(user=user, actor=user)
    if getattr(request, "api_token", None) is None:
        logout(request)
    return 204, None
