"""Assessments move through the one table: every move by its role, every refusal by role,
scope and state; approval awards the stars to the station."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dandelion.core.errors import Conflict, CoreError, InvalidInput, NotFound, PermissionDenied
from dandelion.core.models import AuditEvent
from dandelion.standards import services
from dandelion.standards.errors import StandardsError
from dandelion.standards.models import Assessment, AssessmentEvent
from dandelion.stations.models import Station

from .conftest import photo

S = Assessment.State


def _manual_codes(assessment):
    return [
        s.indicator.code
        for s in assessment.scores.select_related("indicator")
        if not s.indicator.measure and not s.indicator.is_bonus
    ]


def self_assess(sw, assessment, points=None):
    """Full marks (or `points` each) for every manual indicator, evidence where required."""
    scores = {}
    for s in assessment.scores.select_related("indicator"):
        if s.indicator.measure or s.indicator.is_bonus:
            continue
        scores[s.indicator.code] = {
            "points": s.indicator.max_points if points is None else points,
            "note": "自评",
        }
    services.assessment_self_score(actor=sw.manager, assessment_id=assessment.pk, scores=scores)
    for s in assessment.scores.select_related("indicator"):
        if s.indicator.evidence_required:
            services.evidence_add(
                actor=sw.manager,
                assessment_id=assessment.pk,
                indicator_code=s.indicator.code,
                upload=photo(),
            )


def review_all(sw, assessment, reviewer=None, bonus=0):
    """The reviewer agrees with the self-scores and the measures; `bonus` innovation points."""
    scores = {}
    for s in assessment.scores.select_related("indicator"):
        if s.indicator.is_bonus:
            scores[s.indicator.code] = {"points": bonus}
        elif s.indicator.measure:
            if s.measured_points is None:
                scores[s.indicator.code] = {"points": s.indicator.max_points}
        else:
            scores[s.indicator.code] = {"points": s.self_points}
    services.assessment_review_score(
        actor=reviewer or sw.street_reviewer, assessment_id=assessment.pk, scores=scores
    )


@pytest.fixture
def opened(sw):
    return services.assessment_open(actor=sw.manager, station_id=sw.station.pk)


def test_the_whole_path_awards_the_stars(sw, opened, django_capture_on_commit_callbacks):
    # Given a station that self-assesses with evidence
    self_assess(sw, opened)
    a = services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    assert a.state == S.SELF_ASSESSED
    # When the street reviewer scores and reviews and the region admin approves
    review_all(sw, a)
    a = services.assessment_move(
        actor=sw.street_reviewer, assessment_id=a.pk, action="review", note="核实"
    )
    assert a.state == S.REVIEWED
    with django_capture_on_commit_callbacks(execute=True):
        a = services.assessment_move(actor=sw.admin, assessment_id=a.pk, action="approve")
    # Then the station carries the computed stars for a year
    assert a.state == S.APPROVED
    assert a.stars >= 1
    station = Station.objects.get(pk=sw.station.pk)
    assert station.stars == a.stars
    assert station.stars_valid_until == timezone.localdate() + timedelta(days=365)
    events = list(AssessmentEvent.objects.filter(assessment=a).order_by("id"))
    assert [(e.action, e.actor_role) for e in events] == [
        ("create", "station_manager"),
        ("submit", "station_manager"),
        ("review", "reviewer"),
        ("approve", "approver"),
    ]
    assert events[2].note == "核实" and events[2].actor == sw.street_reviewer


def test_stars_follow_thresholds_and_prerequisites(sw, opened):
    # 24 m², no AED and no extended service: never five stars, whatever the total
    self_assess(sw, opened)
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    scores = {
        s.indicator.code: {
            "points": s.indicator.max_points,
            "override_reason": "现场核实" if s.measured_points is not None else "",
        }
        for s in opened.scores.select_related("indicator")
    }
    services.assessment_review_score(
        actor=sw.street_reviewer, assessment_id=opened.pk, scores=scores
    )
    a = services.assessment_move(actor=sw.street_reviewer, assessment_id=opened.pk, action="review")
    assert a.total == Decimal(105)
    assert a.stars == 4
    missing = {m["kind"]: m["required"] for m in a.shortfalls[0]["missing"]}
    assert a.shortfalls[0]["stars"] == 5
    assert missing == {"area": 30, "amenity": "aed"}


def test_submitting_needs_every_manual_score_and_the_evidence(sw, opened):
    with pytest.raises(InvalidInput) as caught:
        services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    fields = {e["field"] for e in caught.value.errors}
    assert "scores.A2.points" in fields and "scores.A2.evidence" in fields
    assert Assessment.objects.get(pk=opened.pk).state == S.DRAFT


def test_an_override_needs_a_reason_and_is_audited(sw, opened):
    self_assess(sw, opened)
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    with pytest.raises(InvalidInput) as caught:
        services.assessment_review_score(
            actor=sw.street_reviewer, assessment_id=opened.pk, scores={"C2": {"points": 2}}
        )
    assert caught.value.errors[0]["field"] == "scores.C2.override_reason"
    assert caught.value.errors[0]["code"] == StandardsError.OVERRIDE_REASON_REQUIRED
    services.assessment_review_score(
        actor=sw.street_reviewer,
        assessment_id=opened.pk,
        scores={"C2": {"points": 2, "override_reason": "夜间实际无人值守"}},
    )
    event = AuditEvent.objects.get(action="standards.score_override")
    assert event.actor == sw.street_reviewer
    assert event.detail == {
        "indicator": "C2",
        "measured_points": "4.0",
        "reviewed_points": "2.0",
        "reason": "夜间实际无人值守",
    }


def test_a_score_beyond_the_indicator_is_refused(sw, opened):
    with pytest.raises(InvalidInput) as caught:
        services.assessment_self_score(
            actor=sw.manager, assessment_id=opened.pk, scores={"A2": {"points": 9}}
        )
    assert caught.value.errors[0]["field"] == "scores.A2.points"


def test_return_for_more_evidence_and_submit_again(sw, opened):
    self_assess(sw, opened)
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    a = services.assessment_move(
        actor=sw.district_reviewer, assessment_id=opened.pk, action="return", note="补充照片"
    )
    assert a.state == S.RETURNED
    a = services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    assert a.state == S.SELF_ASSESSED


def test_appeal_then_reconsider_or_dismiss(sw, opened):
    self_assess(sw, opened)
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    review_all(sw, opened)
    services.assessment_move(actor=sw.street_reviewer, assessment_id=opened.pk, action="review")
    services.assessment_move(actor=sw.admin, assessment_id=opened.pk, action="approve")
    a = services.assessment_move(
        actor=sw.manager, assessment_id=opened.pk, action="appeal", note="面积已扩建"
    )
    assert a.state == S.APPEALED
    a = services.assessment_move(actor=sw.admin, assessment_id=opened.pk, action="dismiss")
    assert a.state == S.APPROVED
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="appeal")
    a = services.assessment_move(actor=sw.admin, assessment_id=opened.pk, action="reconsider")
    assert a.state == S.REVIEWED


@pytest.mark.parametrize(
    ("who", "action", "error"),
    [
        # a reviewer cannot self-assess, the manager cannot review or approve
        ("street_reviewer", "submit", PermissionDenied),
        ("manager", "review", PermissionDenied),
        ("manager", "approve", PermissionDenied),
        # a dispatcher reviews but does not approve
        ("district_reviewer", "approve", PermissionDenied),
        # outside the scope the assessment does not exist
        ("street_2_reviewer", "review", NotFound),
        ("lianxi_reviewer", "review", NotFound),
        ("manager_2", "submit", NotFound),
        # a worker holds no role here at all
        ("worker", "submit", PermissionDenied),
    ],
)
def test_refusals_by_role_and_scope(sw, opened, who, action, error):
    self_assess(sw, opened)
    if action != "submit":
        services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    with pytest.raises(error):
        services.assessment_move(actor=getattr(sw, who), assessment_id=opened.pk, action=action)


def test_scoring_outside_the_scope_is_refused(sw, opened):
    with pytest.raises(NotFound):
        services.assessment_review_score(
            actor=sw.lianxi_reviewer, assessment_id=opened.pk, scores={"A2": {"points": 1}}
        )
    with pytest.raises(NotFound):
        services.assessment_self_score(
            actor=sw.manager_2, assessment_id=opened.pk, scores={"A2": {"points": 1}}
        )


@pytest.mark.parametrize(
    ("who", "action"),
    [("street_reviewer", "review"), ("admin", "approve"), ("manager", "appeal")],
)
def test_moves_the_state_does_not_allow_name_the_state(sw, opened, who, action):
    with pytest.raises(Conflict) as caught:
        services.assessment_move(actor=getattr(sw, who), assessment_id=opened.pk, action=action)
    assert caught.value.code == CoreError.ILLEGAL_TRANSITION
    assert caught.value.extra["state"] == "draft"


def test_self_scores_are_closed_once_submitted(sw, opened):
    self_assess(sw, opened)
    services.assessment_move(actor=sw.manager, assessment_id=opened.pk, action="submit")
    with pytest.raises(Conflict):
        services.assessment_self_score(
            actor=sw.manager, assessment_id=opened.pk, scores={"A2": {"points": 1}}
        )


def test_one_open_assessment_per_station(sw, opened):
    with pytest.raises(Conflict) as caught:
        services.assessment_open(actor=sw.street_reviewer, station_id=sw.station.pk)
    assert caught.value.code == StandardsError.ASSESSMENT_OPEN


def test_opening_outside_the_scope_is_not_found(sw):
    with pytest.raises(NotFound):
        services.assessment_open(actor=sw.lianxi_reviewer, station_id=sw.station.pk)
    with pytest.raises(PermissionDenied):
        services.assessment_open(actor=sw.worker, station_id=sw.station.pk)


def test_a_round_opens_one_assessment_per_active_station(sw, opened):
    r = services.round_open(actor=sw.admin, region_code="360403", name="2026年度评定")
    # the station with an open assessment is skipped; Lianxi's is outside the region
    assert set(r.assessments.values_list("station_id", flat=True)) == {sw.station_2.pk}
    with pytest.raises(PermissionDenied):
        services.round_open(actor=sw.district_reviewer, region_code="360403", name="x")
    with pytest.raises(PermissionDenied):
        services.round_open(actor=sw.admin, region_code="360402", name="x")
