"""Assessments (星级评定): my queue, one assessment, scoring, evidence, moves; rounds."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dandelion.core.api import problems
from dandelion.core.pagination import Paged, SerialisedPage

from .. import selectors, services
from ..payloads import assessment_detail_payload, assessment_payload
from .schemas import (
    AssessmentDetailOut,
    AssessmentFilters,
    AssessmentIn,
    AssessmentOut,
    EvidenceIn,
    ReviewScoresIn,
    RoundIn,
    RoundOut,
    SelfScoresIn,
    SpotCheckIn,
    SpotCheckOut,
    TransitionIn,
)

router = Router(tags=["standards"])


def _detail(request, assessment_id: int) -> dict:
    assessment = selectors.assessment_get(actor=request.user, assessment_id=assessment_id)
    return assessment_detail_payload(assessment, actor=request.user, request=request)


@router.get(
    "/standards/assessments",
    response={200: list[AssessmentOut], **problems(404)},
    operation_id="assessments_list",
    summary="Assessments I may see; `todo=true`: those waiting for one of my roles",
)
@paginate(Paged)
def assessments_list(request: HttpRequest, filters: Query[AssessmentFilters]):
    qs = selectors.assessment_list(
        actor=request.user,
        todo=filters.todo,
        state=filters.state,
        round_id=filters.round,
        region_code=filters.region,
    )
    return SerialisedPage(qs, assessment_payload)


@router.post(
    "/standards/assessments",
    response={201: AssessmentDetailOut, **problems(404, 409)},
    operation_id="assessments_open",
    summary="Open an assessment of one station against the standard in force there",
)
def assessments_open(request: HttpRequest, payload: AssessmentIn):
    assessment = services.assessment_open(actor=request.user, station_id=payload.station_id)
    return 201, _detail(request, assessment.pk)


@router.get(
    "/standards/assessments/{int:assessment_id}",
    response={200: AssessmentDetailOut, **problems(404)},
    operation_id="assessments_get",
    summary="One assessment: every indicator, measured values, evidence, history",
)
def assessments_get(request: HttpRequest, assessment_id: int):
    return _detail(request, assessment_id)


@router.post(
    "/standards/assessments/{int:assessment_id}/self-scores",
    response={200: AssessmentDetailOut, **problems(404, 409)},
    operation_id="assessments_self_score",
    summary="The station manager's own scores and notes, by indicator code",
)
def assessments_self_score(request: HttpRequest, assessment_id: int, payload: SelfScoresIn):
    services.assessment_self_score(
        actor=request.user,
        assessment_id=assessment_id,
        scores={code: s.model_dump() for code, s in payload.scores.items()},
    )
    return _detail(request, assessment_id)


@router.post(
    "/standards/assessments/{int:assessment_id}/review-scores",
    response={200: AssessmentDetailOut, **problems(404, 409)},
    operation_id="assessments_review_score",
    summary="The reviewer's scores by indicator code; overriding a measured value needs a reason",
)
def assessments_review_score(request: HttpRequest, assessment_id: int, payload: ReviewScoresIn):
    services.assessment_review_score(
        actor=request.user,
        assessment_id=assessment_id,
        scores={code: s.model_dump() for code, s in payload.scores.items()},
    )
    return _detail(request, assessment_id)


@router.post(
    "/standards/assessments/{int:assessment_id}/evidence",
    response={201: AssessmentDetailOut, **problems(404, 409, 429)},
    operation_id="assessments_evidence_add",
    summary="Upload an evidence photo for one indicator",
)
def assessments_evidence_add(
    request: HttpRequest,
    assessment_id: int,
    payload: Form[EvidenceIn],
    photo: File[UploadedFile],
):
    services.evidence_add(
        actor=request.user,
        assessment_id=assessment_id,
        indicator_code=payload.indicator,
        upload=photo,
        caption=payload.caption,
    )
    return 201, _detail(request, assessment_id)


@router.post(
    "/standards/assessments/{int:assessment_id}/transitions",
    response={200: AssessmentDetailOut, **problems(404, 409)},
    operation_id="assessments_transition",
    summary="Move an assessment: submit, review, return, approve, appeal, reconsider, dismiss",
    description="A move the state does not allow is 409 `illegal_transition` naming the state.",
)
def assessments_transition(request: HttpRequest, assessment_id: int, payload: TransitionIn):
    services.assessment_move(
        actor=request.user, assessment_id=assessment_id, action=payload.action, note=payload.note
    )
    return _detail(request, assessment_id)


def _round_payload(r) -> dict:
    return {
        "id": r.pk,
        "region": r.region.code,
        "name": r.name,
        "opened_at": r.opened_at,
        "due_on": r.due_on,
        "progress": selectors.round_progress(round=r),
    }


@router.get(
    "/standards/rounds",
    response={200: list[RoundOut]},
    operation_id="rounds_list",
    summary="Assessment rounds in my regions, with their progress",
)
@paginate(Paged)
def rounds_list(request: HttpRequest):
    return SerialisedPage(selectors.round_list(actor=request.user), _round_payload)


@router.post(
    "/standards/rounds",
    response={201: RoundOut, **problems(404)},
    operation_id="rounds_open",
    summary="Open a round: an assessment for every active station of a region",
)
def rounds_open(request: HttpRequest, payload: RoundIn):
    r = services.round_open(
        actor=request.user, region_code=payload.region, name=payload.name, due_on=payload.due_on
    )
    return 201, _round_payload(r)


@router.post(
    "/standards/spot-checks",
    response={201: SpotCheckOut, **problems(404)},
    operation_id="spot_checks_record",
    summary="Record an unannounced check (明察暗访) of whether a station was open",
    description="A check finding the station closed while its hours say open counts towards "
    "the standard's missed-opening veto.",
)
def spot_checks_record(request: HttpRequest, payload: SpotCheckIn):
    check = services.spot_check_record(
        actor=request.user,
        station_id=payload.station_id,
        found_open=payload.found_open,
        at=payload.checked_at,
        note=payload.note,
    )
    return 201, {
        "id": check.pk,
        "station_id": check.station_id,
        "checked_at": check.checked_at,
        "found_open": check.found_open,
        "should_be_open": check.should_be_open,
        "missed": check.missed,
        "note": check.note,
    }
