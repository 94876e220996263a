"""Activities: open ones near me, one activity, and for organisers create, publish/cancel/finish
and the list within their scope."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from ..errors import VolunteeringError
from .payloads import activity_payload
from .schemas import ActivityFilters, ActivityIn, ActivityNearFilters, ActivityOut, ActivityStateIn

router = Router(tags=["volunteering"])


def _point_check(near: ActivityNearFilters) -> None:
    if (near.lat is None) != (near.lng is None):
        field = "lat" if near.lat is None else "lng"
        message = _("请同时给出纬度和经度，或都不给。")
        raise InvalidInput(
            message,
            code=VolunteeringError.INVALID_POINT,
            errors=[field_error(field, CoreError.REQUIRED, message, loc=["query", field])],
        )


@router.get(
    "/volunteering/activities",
    response=list[ActivityOut],
    operation_id="volunteering_activities_near",
    summary="Open activities the caller may join, nearest first when lat/lng are given",
)
@paginate(Paged)
def activities_near(request: HttpRequest, near: Query[ActivityNearFilters]):
    _point_check(near)
    rows = selectors.activities_near(user=request.user, lat=near.lat, lng=near.lng, limit=200)
    mine = selectors.open_signups_by_activity(user=request.user)
    return [activity_payload(a, mine.get(a.pk)) for a in rows]


@router.get(
    "/volunteering/activities/{activity_id}",
    response={200: ActivityOut, **problems(404)},
    operation_id="volunteering_activity_get",
    summary="One activity",
)
def activity_get(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get_visible(user=request.user, activity_id=activity_id)
    mine = selectors.open_signups_by_activity(user=request.user)
    return activity_payload(activity, mine.get(activity.pk))


@router.post(
    "/volunteering/activities",
    response={201: ActivityOut, **problems(403)},
    operation_id="volunteering_activity_create",
    summary="Create a draft activity for an organisation the caller organises",
)
def activity_create(request: HttpRequest, payload: ActivityIn):
    data = payload.dict()
    references = selectors.activity_references(
        organisation_id=data.pop("organisation_id"),
        station_id=data.pop("station_id"),
        region_code=data.pop("region_code"),
    )
    organisation = references.pop("organisation")
    activity = services.activity_create(
        actor=request.user, organisation=organisation, **data, **references
    )
    return 201, activity_payload(
        selectors.activity_get_visible(user=request.user, activity_id=activity.pk)
    )


@router.post(
    "/volunteering/activities/{activity_id}/state",
    response={200: ActivityOut, **problems(403, 404, 409)},
    operation_id="volunteering_activity_state",
    summary="Publish (tells matching volunteers), cancel (with a reason) or finish an activity",
)
def activity_state(request: HttpRequest, activity_id: int, payload: ActivityStateIn):
    activity = selectors.activity_get_permitted(
        actor=request.user, activity_id=activity_id, action="activity.manage"
    )
    if payload.action == "publish":
        services.activity_publish(actor=request.user, activity=activity)
    elif payload.action == "cancel":
        services.activity_cancel(actor=request.user, activity=activity, reason=payload.reason)
    else:
        services.activity_finish(actor=request.user, activity=activity)
    return activity_payload(
        selectors.activity_get_visible(user=request.user, activity_id=activity_id)
    )


@router.get(
    "/volunteering/manage/activities",
    response={200: list[ActivityOut], **problems(403)},
    operation_id="volunteering_activities_managed",
    summary="Activities within the caller's scope (organisers, region admins, auditors)",
)
@paginate(Paged)
def activities_managed(request: HttpRequest, filters: Query[ActivityFilters]):
    return SerialisedPage(
        selectors.activities_managed(actor=request.user, status=filters.status), activity_payload
    )
