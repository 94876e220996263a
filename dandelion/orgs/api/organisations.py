"""Organisations, join codes (QR) and memberships."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.core.qr import qr_svg

from .. import codes, selectors, services
from .payloads import membership_payload, organisation_payload, organisation_ref, region_ref
from .schemas import (
    CodePreviewOut,
    JoinIn,
    MembershipFilters,
    MembershipOut,
    OrganisationCodeOut,
    OrganisationFilters,
    OrganisationOut,
)

router = Router(tags=["orgs"])


@router.get(
    "/orgs",
    response={200: list[OrganisationOut], **problems(404)},
    operation_id="orgs_list",
    summary="Organisations within the caller's scope or that the caller belongs to",
)
@paginate(Paged)
def orgs_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    qs = selectors.organisation_list(
        actor=request.user,
        kinds=filters.kind,
        region_code=filters.region,
        text=filters.q,
        mine=filters.mine,
    )
    mine = selectors.open_memberships_by_organisation(user=request.user)
    return SerialisedPage(qs, lambda org: organisation_payload(org, mine.get(org.pk)))


@router.get(
    "/orgs/code",
    response={200: CodePreviewOut},
    operation_id="orgs_code_preview",
    summary="What a scanned join or return-to-team code leads to",
    description="Lets the H5 say “join 甘棠街道志愿服务队?” before the worker signs in.",
    auth=None,
)
def orgs_code_preview(request: HttpRequest, code: str):
    purpose, org = selectors.organisation_for_code(code=code)
    return {
        "organisation": organisation_ref(org),
        "region": region_ref(org.region),
        "purpose": purpose,
    }


@router.post(
    "/orgs/join",
    response={200: MembershipOut, 201: MembershipOut, **problems(409)},
    operation_id="orgs_join",
    summary="Ask to join an organisation with its join code (pending until a leader approves)",
)
def orgs_join(request: HttpRequest, payload: JoinIn):
    _, org = selectors.organisation_for_code(code=payload.code, purpose=selectors.CODE_JOIN)
    membership, created = services.membership_request(organisation=org, user=request.user)
    return (201 if created else 200), membership_payload(membership)


@router.get(
    "/orgs/{organisation_id}",
    response={200: OrganisationOut, **problems(404)},
    operation_id="orgs_get",
    summary="One organisation",
)
def orgs_get(request: HttpRequest, organisation_id: int):
    org = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    mine = selectors.open_memberships_by_organisation(user=request.user)
    return organisation_payload(org, mine.get(org.pk))


def _shareable(request: HttpRequest, organisation_id: int):
    return selectors.organisation_for_sharing(actor=request.user, organisation_id=organisation_id)


def _code_payload(request: HttpRequest, issued: codes.OrganisationCode) -> dict:
    return {
        "organisation": organisation_ref(issued.organisation),
        "purpose": issued.purpose,
        "code": issued.code,
        "url": codes.code_url(issued.code, request),
        "expires_at": issued.expires_at,
    }


@router.get(
    "/orgs/{organisation_id}/code",
    response={200: OrganisationCodeOut, **problems(404, 409)},
    operation_id="orgs_code",
    summary="The organisation's join code (or a party branch's return-to-team code)",
)
def orgs_code(request: HttpRequest, organisation_id: int):
    org = _shareable(request, organisation_id)
    return _code_payload(request, codes.code_make(organisation=org))


@router.get(
    "/orgs/{organisation_id}/code.svg",
    operation_id="orgs_code_svg",
    summary="The join or return-to-team code as an SVG QR code",
    response={200: None, **problems(404, 409)},
    openapi_extra={
        "responses": {
            200: {"description": "SVG image", "content": {"image/svg+xml": {"schema": {}}}}
        }
    },
)
def orgs_code_svg(request: HttpRequest, organisation_id: int):
    org = _shareable(request, organisation_id)
    issued = codes.code_make(organisation=org)
    response = HttpResponse(
        qr_svg(codes.code_url(issued.code, request)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/orgs/{organisation_id}/code/rotate",
    response={200: OrganisationCodeOut, **problems(404, 409)},
    operation_id="orgs_code_rotate",
    summary="Invalidate every earlier code and issue a new one",
)
def orgs_code_rotate(request: HttpRequest, organisation_id: int):
    org = _shareable(request, organisation_id)
    services.organisation_rotate_code(organisation=org)
    return _code_payload(request, codes.code_make(organisation=org))


@router.get(
    "/orgs/{organisation_id}/members",
    response={200: list[MembershipOut], **problems(404)},
    operation_id="orgs_members",
    summary="Members and requests of one organisation (leaders and their superiors)",
    description="For party organisations this is party membership: party-work roles only, audited.",
)
@paginate(Paged)
def orgs_members(request: HttpRequest, organisation_id: int, filters: Query[MembershipFilters]):
    org = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    qs = selectors.membership_list(actor=request.user, organisation=org, status=filters.status)
    return SerialisedPage(
        qs,
        membership_payload,
        after_page=lambda rows: selectors.memberships_audit(actor=request.user, memberships=rows),
    )


@router.post(
    "/orgs/memberships/{membership_id}/approve",
    response={200: MembershipOut, **problems(404, 409)},
    operation_id="orgs_membership_approve",
    summary="Approve a request to join (leaders)",
)
def orgs_membership_approve(request: HttpRequest, membership_id: int):
    membership = selectors.membership_for_decision(actor=request.user, membership_id=membership_id)
    return membership_payload(
        services.membership_approve(membership=membership, actor=request.user)
    )


@router.post(
    "/orgs/memberships/{membership_id}/decline",
    response={200: MembershipOut, **problems(404, 409)},
    operation_id="orgs_membership_decline",
    summary="Decline a request to join (leaders)",
)
def orgs_membership_decline(request: HttpRequest, membership_id: int):
    membership = selectors.membership_for_decision(actor=request.user, membership_id=membership_id)
    return membership_payload(
        services.membership_decline(membership=membership, actor=request.user)
    )


@router.post(
    "/orgs/memberships/{membership_id}/leave",
    response={200: MembershipOut, **problems(404, 409)},
    operation_id="orgs_membership_leave",
    summary="Leave an organisation, or withdraw a request to join",
)
def orgs_membership_leave(request: HttpRequest, membership_id: int):
    membership = selectors.membership_for_leaving(actor=request.user, membership_id=membership_id)
    return membership_payload(services.membership_leave(membership=membership, actor=request.user))


@router.get(
    "/me/memberships",
    response=list[MembershipOut],
    operation_id="me_memberships",
    summary="My memberships and requests",
)
@paginate(Paged)
def me_memberships(request: HttpRequest):
    return SerialisedPage(selectors.memberships_of(user=request.user), membership_payload)
