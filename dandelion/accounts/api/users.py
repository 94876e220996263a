"""People as staff see them: scoped lists with masked phones; the full number only where a role
needs it, and then audited."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors
from .payloads import user_payload
from .schemas import PhoneOut, UserFilters, UserOut

router = Router(tags=["users"])


@router.get(
    "/users",
    response=list[UserOut],
    operation_id="users_list",
    summary="People within the caller's scope (phones masked)",
)
@paginate(Paged)
def users_list(request: HttpRequest, filters: Query[UserFilters]):
    qs = selectors.user_list(actor=request.user, text=filters.q, role=filters.role)
    return SerialisedPage(qs, user_payload)


@router.get(
    "/users/{user_id}",
    response={200: UserOut, **problems(404)},
    operation_id="users_get",
    summary="One person within the caller's scope (phone masked)",
)
def users_get(request: HttpRequest, user_id: int):
    return user_payload(selectors.user_get(actor=request.user, user_id=user_id))


@router.get(
    "/users/{user_id}/phone",
    response={200: PhoneOut, **problems(404)},
    operation_id="users_phone",
    summary="A person's full phone number, for roles that need it (audited)",
)
def users_phone(request: HttpRequest, user_id: int):
    user = selectors.user_phone_read(actor=request.user, user_id=user_id)
    return {"user_id": user.pk, "phone": user.phone or ""}
