"""Sign-ups: sign up, cancel, my sign-ups."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from .payloads import signup_payload
from .schemas import SignUpOut

router = Router(tags=["volunteering"])


@router.post(
    "/volunteering/activities/{activity_id}/signup",
    response={200: SignUpOut, 201: SignUpOut, **problems(404, 409)},
    operation_id="volunteering_signup",
    summary="Sign up: confirmed while places last, otherwise on the waiting list",
)
def signup(request: HttpRequest, activity_id: int):
    row, created = services.signup_create(activity_id=activity_id, user=request.user)
    return (201 if created else 200), signup_payload(row)


@router.delete(
    "/volunteering/activities/{activity_id}/signup",
    response={200: SignUpOut, **problems(404, 409)},
    operation_id="volunteering_signup_cancel",
    summary="Cancel my sign-up (until the start); the first waiting person moves up",
)
def signup_cancel(request: HttpRequest, activity_id: int):
    return signup_payload(services.signup_cancel(activity_id=activity_id, user=request.user))


@router.get(
    "/me/volunteering/signups",
    response=list[SignUpOut],
    operation_id="me_volunteering_signups",
    summary="My sign-ups, latest activity first",
)
@paginate(Paged)
def my_signups(request: HttpRequest):
    return SerialisedPage(selectors.signups_of(user=request.user), signup_payload)
