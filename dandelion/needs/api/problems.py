"""Problems and consultations (会商), and the "raised / solved" figures."""

from datetime import datetime, time, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.regions.selectors import region_find

from .. import selectors, services
from ..errors import NeedsError
from ..payloads import consultation_payload, problem_detail_payload, problem_payload
from .schemas import (
    ConsultationIn,
    ConsultationOut,
    NeedsProblemDetailOut,
    NeedsProblemOut,
    NeedsProblemStatsOut,
    ProblemCloseIn,
    ProblemFilters,
    ProblemIn,
    ProblemStatsFilters,
)

router = Router(tags=["problems"])


@router.get(
    "/problems",
    response=list[NeedsProblemOut],
    operation_id="problems_list",
    summary="Problems in the caller's region (dispatchers, region admins, auditors)",
)
@paginate(Paged)
def problems_list(request: HttpRequest, filters: Query[ProblemFilters]):
    qs = selectors.problem_list(
        actor=request.user, state=filters.state, region_code=filters.region
    ).order_by("-raised_at", "-pk")
    return SerialisedPage(qs, problem_payload)


@router.get(
    "/problems/stats",
    response=NeedsProblemStatsOut,
    operation_id="problems_stats",
    summary="Problems raised and solved in a period and region",
)
def problems_stats(request: HttpRequest, filters: Query[ProblemStatsFilters]):
    if filters.start and filters.end and filters.end < filters.start:
        raise InvalidInput(
            _("结束日期早于开始日期。"),
            code=CoreError.VALIDATION_ERROR,
            errors=[field_error("end", CoreError.INVALID_INPUT, _("结束日期早于开始日期"))],
        )
    zone = timezone.get_current_timezone()
    start = datetime.combine(filters.start, time.min, zone) if filters.start else None
    end = datetime.combine(filters.end + timedelta(days=1), time.min, zone) if filters.end else None
    return selectors.problem_stats(
        actor=request.user, region_code=filters.region, start=start, end=end
    )


@router.post(
    "/problems",
    response={201: NeedsProblemDetailOut},
    operation_id="problems_create",
    summary="Raise a problem, grouping recurring needs (dispatchers)",
)
def problems_create(request: HttpRequest, payload: ProblemIn):
    region = region_find(code=payload.region)
    if region is None:
        raise InvalidInput(
            _("没有这个区划。"),
            code=NeedsError.INVALID_PROBLEM,
            errors=[field_error("region", NeedsError.UNKNOWN_REGION, _("请选择区划"))],
        )
    problem = services.problem_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        region=region,
        need_ids=payload.need_ids,
    )
    return 201, problem_detail_payload(
        selectors.problem_get(actor=request.user, problem_id=problem.pk)
    )


@router.get(
    "/problems/{problem_id}",
    response={200: NeedsProblemDetailOut, **problems(404)},
    operation_id="problems_get",
    summary="One problem with its consultations",
)
def problems_get(request: HttpRequest, problem_id: int):
    return problem_detail_payload(selectors.problem_get(actor=request.user, problem_id=problem_id))


@router.post(
    "/problems/{problem_id}/consultations",
    response={201: ConsultationOut, **problems(404, 409)},
    operation_id="problems_consultation_create",
    summary="Record a consultation with departments about an open problem",
)
def problems_consultation_create(request: HttpRequest, problem_id: int, payload: ConsultationIn):
    problem = selectors.problem_get(actor=request.user, problem_id=problem_id)
    consultation = services.consultation_record(
        problem=problem,
        actor=request.user,
        held_on=payload.held_on,
        department_ids=payload.department_ids,
        attendees=payload.attendees,
        decisions=payload.decisions,
        owner_id=payload.owner_id,
    )
    return 201, consultation_payload(consultation)


@router.post(
    "/problems/{problem_id}/close",
    response={200: NeedsProblemDetailOut, **problems(404, 409)},
    operation_id="problems_close",
    summary="Record the problem as solved or not solved",
)
def problems_close(request: HttpRequest, problem_id: int, payload: ProblemCloseIn):
    problem = selectors.problem_get(actor=request.user, problem_id=problem_id)
    services.problem_close(
        problem=problem, actor=request.user, outcome=payload.outcome, note=payload.note
    )
    return problem_detail_payload(selectors.problem_get(actor=request.user, problem_id=problem_id))
