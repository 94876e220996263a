"""The signed-in person: profile and check-in (在线报到), export and deletion of their data."""

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Router

from dandelion.regions.models import Region

from .. import selectors, services
from ..models import WorkerProfile
from .payloads import me_payload
from .schemas import CheckInOptionsOut, MeOut, WorkerProfilePatch

router = Router(tags=["me"])

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
    response=MeOut,
    operation_id="me_update",
    summary="Check in (在线报到) or change the profile",
    description=(
        "The first call is the check-in: occupation, platform, work_region_code and "
        "accept_policy_version (the current privacy policy) are required. Later calls change "
        "any subset; sending accept_policy_version again renews consent after a policy change."
    ),
)
def me_update(request: HttpRequest, payload: WorkerProfilePatch):
    changes = payload.dict(exclude_unset=True)
    if selectors.worker_profile_of(user=request.user) is None:
        services.worker_check_in(user=request.user, changes=changes)
    else:
        services.worker_profile_update(user=request.user, changes=changes)
    return me_payload(request.user)


@router.get(
    "/me/check-in-options",
    response=CheckInOptionsOut,
    operation_id="me_check_in_options",
    summary="Choices for the check-in form: occupations, platforms, streets",
)
def me_check_in_options(request: HttpRequest, district: str | None = None):
    streets = Region.objects.filter(level=Region.Level.STREET).order_by("code")
    if district:
        streets = streets.filter(code__startswith=district[:6])
    return {
        "occupations": [
            {"value": v, "label": str(label)} for v, label in WorkerProfile.Occupation.choices
        ],
        "platforms": [
            {"value": v, "label": str(label)} for v, label in WorkerProfile.Platform.choices
        ],
        "skills": SKILL_SUGGESTIONS,
        "streets": [{"code": r.code, "name": r.name} for r in streets],
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
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
    response={204: None},
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
