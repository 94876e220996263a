"""Problems and consultations (会商), and the "raised / solved" figures."""

from datetime import datetime, time, timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from dandelion.core.errors import InvalidInput
from dandelion.core.pagination import Paged, SerialisedPage
from dandelion.regions.models import Region

from .. import selectors, services
from ..payloads import consultation_payload, problem_detail_payload, problem_payload
from .schemas import (
    ConsultationIn,
    ConsultationOut,
    ProblemCloseIn,
    ProblemDetailOut,
    ProblemFilters,
    ProblemIn,
    ProblemOut,
    ProblemStatsFilters,
    ProblemStatsOut,
)

router = Router(tags=["problems"])


@router.get(
    "/problems",
    response=list[ProblemOut],
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
    response=ProblemStatsOut,
    operation_id="problems_stats",
    summary="Problems raised and solved in a period and region",
)
def problems_stats(request: HttpRequest, filters: Query[ProblemStatsFilters]):
    if filters.start and filters.end and filters.end < filters.start:
        raise InvalidInput(
            "end is before start.",
            code="validation_error",
            errors=[{"field": "end", "msg": "before start"}],
        )
    zone = timezone.get_current_timezone()
    start = datetime.combine(filters.start, time.min, zone) if filters.start else None
    end = datetime.combine(filters.end + timedelta(days=1), time.min, zone) if filters.end else None
    return selectors.problem_stats(
        actor=request.user, region_code=filters.region, start=start, end=end
    )


@router.post(
    "/problems",
    response={201: ProblemDetailOut},
    operation_id="problems_create",
    summary="Raise a problem, grouping recurring needs (dispatchers)",
)
def problems_create(request: HttpRequest, payload: ProblemIn):
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise InvalidInput(
            "No such region.",
            code="invalid_problem",
            errors=[{"field": "region", "msg": "no such region"}],
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
    response=ProblemDetailOut,
    operation_id="problems_get",
    summary="One problem with its consultations",
)
def problems_get(request: HttpRequest, problem_id: int):
    return problem_detail_payload(selectors.problem_get(actor=request.user, problem_id=problem_id))


@router.post(
    "/problems/{problem_id}/consultations",
    response={201: ConsultationOut},
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
    response=ProblemDetailOut,
    operation_id="problems_close",
    summary="Record the problem as solved or not solved",
)
def problems_close(request: HttpRequest, problem_id: int, payload: ProblemCloseIn):
    problem = selectors.problem_get(actor=request.user, problem_id=problem_id)
    services.problem_close(
        problem=problem, actor=request.user, outcome=payload.outcome, note=payload.note
    )
    return problem_detail_payload(selectors.problem_get(actor=request.user, problem_id=problem_id))
