"""Assessments (星级评定): opened one by one or by a round, measured, self-assessed with
evidence, reviewed, approved (which awards the star level), returned or appealed.

Rules:
- A station has at most one open assessment (draft, self-assessed, reviewed, returned) at a
  time; a round skips stations that already have one.
- The assessment keeps the standard version in force when it was opened.
- Automatic measures are read when the assessment opens and again when the station submits.
- Submitting needs a self-score for every indicator without a measure, and evidence for every
  indicator that requires it (a bonus item only when claimed); reviewing needs a reviewer's
  score (or a measured value) for every indicator. A reviewer's score that differs from the
  measured points needs a reason, and is written to the audit log.
- The stars: the highest level whose threshold the total reaches and whose prerequisites
  (area, amenities, indicators that must earn points) the station meets. The total is the
  points (at most 100) plus the bonus items (at most the standard's bonus).
- Approval awards the stars through `stations.services.station_stars_set`, valid for
  `STARS_VALID_DAYS` from the day of approval.
"""

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import (
    Conflict,
    CoreError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    field_error,
)
from dandelion.core.permissions import can, require
from dandelion.core.photos import atomic_with_files, photo_process
from dandelion.core.workflow import transition
from dandelion.regions.selectors import region_get
from dandelion.stations import services as station_services
from dandelion.stations.selectors import station_list

from .. import measures, selectors
from ..errors import StandardsError
from ..models import (
    Assessment,
    AssessmentEvent,
    AssessmentEvidence,
    AssessmentRound,
    AssessmentScore,
    Indicator,
    Standard,
)
from ..workflow import (
    ACTION_ROLE,
    APPROVE_ACTION,
    ASSESSMENT,
    CREATE,
    MANAGER,
    OPEN_STATES,
    REVIEW_ACTION,
    REVIEW_EDITABLE,
    REVIEWER,
    SELF_EDITABLE,
    SUBMIT,
)

E = StandardsError
S = Assessment.State
STARS_VALID_DAYS = 365
HUNDRED = Decimal(100)


def _no_standard() -> Conflict:
    return Conflict(_("这个区域还没有发布评定标准。"), code=E.NO_STANDARD)


def _create(
    *, station, standard: Standard, round=None, actor=None, actor_role: str, at: datetime
) -> Assessment:
    assessment = Assessment.objects.create(
        station=station, standard=standard, round=round, created_at=at
    )
    indicators = Indicator.objects.filter(group__standard=standard)
    AssessmentScore.objects.bulk_create(
        [AssessmentScore(assessment=assessment, indicator=i) for i in indicators]
    )
    _measure(assessment, at=at)
    AssessmentEvent.objects.create(
        assessment=assessment,
        action=CREATE,
        from_state="",
        to_state=S.DRAFT,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role,
        note=round.name if round is not None else "",
        created_at=at,
    )
    return assessment


def _measure(assessment: Assessment, *, at: datetime) -> None:
    """Read every automatic measure of the assessment's indicators now."""
    station = assessment.station
    scores = AssessmentScore.objects.filter(assessment=assessment).select_related("indicator")
    changed = []
    for score in scores:
        indicator = score.indicator
        if not indicator.measure:
            continue
        reading = measures.read(indicator.measure, indicator.measure_params, station, at)
        score.measured_value = reading.value
        score.measured_source = str(reading.source)[:200]
        score.measured_points = measures.score(
            indicator.measure, indicator.measure_params, reading.value, indicator.max_points
        )
        changed.append(score)
    AssessmentScore.objects.bulk_update(
        changed, ["measured_value", "measured_source", "measured_points"]
    )


@transaction.atomic
def assessment_open(*, actor, station_id: int, at: datetime | None = None) -> Assessment:
    """Open an assessment of one station against the standard in force there (its manager or
    the region's reviewers may)."""
    at = at or timezone.now()
    station = _station_for(actor, station_id)
    if Assessment.objects.filter(station=station, state__in=OPEN_STATES).exists():
        raise Conflict(
            _("这个驿站已有进行中的评定。"), code=E.ASSESSMENT_OPEN, extra={"entity": "assessment"}
        )
    standard = selectors.standard_in_force(region=station.region)
    if standard is None:
        raise _no_standard()
    role = MANAGER if can(actor, "assessment.self_assess", station) else REVIEWER
    return _create(station=station, standard=standard, actor=actor, actor_role=role, at=at)


def _station_for(actor, station_id: int):
    """The station, if the caller may start its assessment: its manager (self-assessment) or
    a reviewer whose region holds it. Outside their scope it does not exist."""
    station = (
        station_list(statuses=()).select_related("region__parent").filter(pk=station_id).first()
    )
    actions = ("assessment.self_assess", "assessment.review")
    if station is not None and any(can(actor, a, station) for a in actions):
        return station
    if any(can(actor, a) for a in actions):
        raise NotFound(_("没有这项内容。"), extra={"entity": "station"})
    raise PermissionDenied(_("你没有权限进行这个操作。"), extra={"action": actions[0]})


@transaction.atomic
def round_open(
    *, actor, region_code: str, name: str, due_on: date | None = None, at: datetime | None = None
) -> AssessmentRound:
    """Open a round (评定批次) for every active station of the region's subtree that has no
    open assessment, each against the standard in force where it stands."""
    at = at or timezone.now()
    region = region_get(code=region_code)
    require(actor, "assessment_round.open", region)
    if not name.strip():
        raise InvalidInput(
            _("请填写批次名称。"), errors=[field_error("name", E.SCORE_MISSING, _("必填。"))]
        )
    round = AssessmentRound.objects.create(
        region=region,
        name=name.strip()[:120],
        due_on=due_on,
        opened_by=actor if getattr(actor, "pk", None) else None,
        opened_at=at,
    )
    busy = set(
        Assessment.objects.filter(state__in=OPEN_STATES).values_list("station_id", flat=True)
    )
    standards: dict[int, Standard | None] = {}
    for station in station_list(region_code=region.code).select_related("region__parent"):
        if station.pk in busy:
            continue
        if station.region_id not in standards:
            standards[station.region_id] = selectors.standard_in_force(region=station.region)
        standard = standards[station.region_id]
        if standard is not None:
            _create(
                station=station,
                standard=standard,
                round=round,
                actor=actor,
                actor_role="region_admin",
                at=at,
            )
    return round


def _locked(actor, assessment_id: int, action: str) -> Assessment:
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id)
    require(actor, action, assessment)
    return (
        Assessment.objects.select_for_update()
        .select_related("station__region")
        .get(pk=assessment.pk)
    )


def _points(value, path: str, indicator: Indicator) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception:
        number = Decimal("NaN")
    if not number.is_finite() or not Decimal(0) <= number <= indicator.max_points:
        message = _("%(code)s 的得分应在 0 到 %(max)s 之间。") % {
            "code": indicator.code,
            "max": indicator.max_points,
        }
        raise InvalidInput(message, errors=[field_error(path, E.SCORE_OUT_OF_RANGE, message)])
    return number.quantize(Decimal("0.1"))


def _scores_by_code(assessment: Assessment) -> dict[str, AssessmentScore]:
    return {
        s.indicator.code: s
        for s in AssessmentScore.objects.filter(assessment=assessment).select_related("indicator")
    }


def _unknown(code: str) -> InvalidInput:
    return InvalidInput(
        _("没有代码为 %(code)s 的指标。") % {"code": code},
        errors=[field_error(f"scores.{code}", E.UNKNOWN_INDICATOR, _("没有这个指标。"))],
    )


def _not_now(assessment: Assessment) -> Conflict:
    return Conflict(
        _("当前状态（%(state)s）不允许这个操作，请刷新后重试。") % {"state": assessment.state},
        code=CoreError.ILLEGAL_TRANSITION,
        extra={"entity": "assessment", "state": assessment.state},
    )


@transaction.atomic
def assessment_self_score(
    *, actor, assessment_id: int, scores: dict[str, dict[str, Any]]
) -> Assessment:
    """The station's own scores and notes by indicator code (`{"A2": {"points": 4, "note":
    "…"}}`), while the self-assessment is open (draft or returned)."""
    assessment = _locked(actor, assessment_id, "assessment.self_assess")
    if assessment.state not in SELF_EDITABLE:
        raise _not_now(assessment)
    rows = _scores_by_code(assessment)
    for code, given in scores.items():
        row = rows.get(code)
        if row is None:
            raise _unknown(code)
        if given.get("points") not in (None, ""):
            row.self_points = _points(given["points"], f"scores.{code}.points", row.indicator)
        if "note" in given:
            row.self_note = str(given.get("note") or "")[:2000]
        row.save(update_fields=["self_points", "self_note"])
    return assessment


@transaction.atomic
def assessment_review_score(
    *, actor, assessment_id: int, scores: dict[str, dict[str, Any]]
) -> Assessment:
    """The reviewer's scores by indicator code (`points`, `note`, and `override_reason` when
    the points differ from a measured value), while the assessment waits for review. An
    override is written to the audit log with both numbers and the reason."""
    assessment = _locked(actor, assessment_id, "assessment.review")
    if assessment.state not in REVIEW_EDITABLE:
        raise _not_now(assessment)
    rows = _scores_by_code(assessment)
    errors = []
    for code, given in scores.items():
        row = rows.get(code)
        if row is None:
            raise _unknown(code)
        if given.get("points") in (None, ""):
            row.reviewed_points = None
        else:
            row.reviewed_points = _points(given["points"], f"scores.{code}.points", row.indicator)
        row.review_note = str(given.get("note") or "")[:2000]
        reason = str(given.get("override_reason") or "").strip()[:500]
        overrides = (
            row.measured_points is not None
            and row.reviewed_points is not None
            and row.reviewed_points != row.measured_points
        )
        if overrides and not reason:
            errors.append(
                field_error(
                    f"scores.{code}.override_reason",
                    E.OVERRIDE_REASON_REQUIRED,
                    _("评审得分与自动测量不同，请说明理由。"),
                )
            )
            continue
        row.override_reason = reason if overrides else ""
        row.save(update_fields=["reviewed_points", "review_note", "override_reason"])
        if overrides:
            audit_record(
                actor=actor,
                action="standards.score_override",
                target=assessment,
                region_code=assessment.station.region.code,
                detail={
                    "indicator": code,
                    "measured_points": str(row.measured_points),
                    "reviewed_points": str(row.reviewed_points),
                    "reason": reason,
                },
            )
    if errors:
        raise InvalidInput(errors[0]["msg"], code=E.OVERRIDE_REASON_REQUIRED, errors=errors)
    return assessment


def evidence_add(*, actor, assessment_id: int, indicator_code: str, upload, caption: str = ""):
    """A photo as evidence for one indicator (decoded and re-encoded by `core.photos` before
    the transaction opens), while the self-assessment is open."""
    processed = photo_process(upload, field="photo")
    with atomic_with_files() as files:
        assessment = _locked(actor, assessment_id, "assessment.self_assess")
        if assessment.state not in SELF_EDITABLE:
            raise _not_now(assessment)
        score = _scores_by_code(assessment).get(indicator_code)
        if score is None:
            raise InvalidInput(
                _("没有这个指标。"),
                errors=[field_error("indicator", E.UNKNOWN_INDICATOR, _("没有这个指标。"))],
            )
        row = AssessmentEvidence(
            assessment=assessment,
            indicator=score.indicator,
            caption=caption.strip()[:120],
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        files.save(row.image, f"{assessment.pk}-{secrets.token_hex(6)}.jpg", processed.image)
        row.save()
        return row


def compute_stars(assessment: Assessment, scores: list[AssessmentScore]) -> tuple:
    """(total, stars, shortfalls) by the standard's thresholds and prerequisites."""
    standard = assessment.standard
    base = sum((s.points for s in scores if not s.indicator.is_bonus), Decimal(0))
    bonus = sum((s.points for s in scores if s.indicator.is_bonus), Decimal(0))
    total = min(base, HUNDRED) + min(bonus, standard.bonus_points)
    station = assessment.station
    amenities = {a.code for a in station.amenities.all()}
    earned = {s.indicator.code for s in scores if s.points > 0}
    shortfalls: list[dict[str, Any]] = []
    for level in sorted(standard.levels.all(), key=lambda lv: -lv.stars):
        if total < level.min_points:
            continue
        missing = []
        if level.min_area_m2 and (station.area_m2 or 0) < level.min_area_m2:
            missing.append({"kind": "area", "required": level.min_area_m2})
        missing += [
            {"kind": "amenity", "required": code}
            for code in level.required_amenities or ()
            if code not in amenities
        ]
        missing += [
            {"kind": "indicator", "required": code}
            for code in level.required_indicators or ()
            if code not in earned
        ]
        if not missing:
            return total, level.stars, shortfalls
        shortfalls.append({"stars": level.stars, "missing": missing})
    return total, 0, shortfalls


def _score_rows(assessment: Assessment) -> list[AssessmentScore]:
    return list(AssessmentScore.objects.filter(assessment=assessment).select_related("indicator"))


def _submit_guard(assessment: Assessment, rows: list[AssessmentScore]) -> None:
    with_evidence = set(assessment.evidence.values_list("indicator_id", flat=True))
    errors = []
    for row in rows:
        code = row.indicator.code
        if not row.indicator.measure and row.self_points is None and not row.indicator.is_bonus:
            errors.append(
                field_error(f"scores.{code}.points", E.SCORE_MISSING, _("请为这一项自评打分。"))
            )
        # A bonus item needs its evidence only when the station claims it.
        claimed = not row.indicator.is_bonus or (row.self_points or 0) > 0
        if row.indicator.evidence_required and claimed and row.indicator_id not in with_evidence:
            errors.append(
                field_error(
                    f"scores.{code}.evidence", E.EVIDENCE_REQUIRED, _("这一项需要上传佐证照片。")
                )
            )
    if errors:
        raise InvalidInput(_("自评还不完整。"), code=errors[0]["code"], errors=errors)


def _review_guard(rows: list[AssessmentScore]) -> None:
    errors = [
        field_error(f"scores.{r.indicator.code}.points", E.SCORE_MISSING, _("请为这一项评分。"))
        for r in rows
        if r.reviewed_points is None and r.measured_points is None and not r.indicator.is_bonus
    ]
    if errors:
        raise InvalidInput(_("评审还不完整。"), code=E.SCORE_MISSING, errors=errors)


@transaction.atomic
def assessment_move(
    *, actor, assessment_id: int, action: str, note: str = "", at: datetime | None = None
) -> Assessment:
    """Take `action` (see `workflow`) on the assessment as the role the action names. Submit
    re-reads the measures and checks the self-assessment is complete; review checks every
    indicator is scored; review and approve compute the total and stars; approve awards them
    to the station, valid for a year."""
    at = at or timezone.now()
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id)
    role = ACTION_ROLE.get(action, "")

    def guard(locked: Assessment, move) -> None:
        if action == SUBMIT:
            _measure(locked, at=at)
            _submit_guard(locked, _score_rows(locked))
        elif action == REVIEW_ACTION:
            _review_guard(_score_rows(locked))

    def changes(locked: Assessment, move) -> list[str]:
        if move.target in (S.SELF_ASSESSED, S.REVIEWED, S.APPROVED) and action != "dismiss":
            locked.total, locked.stars, locked.shortfalls = compute_stars(
                assessment, _score_rows(locked)
            )
            fields = ["total", "stars", "shortfalls", "updated_at"]
            if action == APPROVE_ACTION:
                locked.approved_at = at
                locked.valid_until = timezone.localdate(at) + timedelta(days=STARS_VALID_DAYS)
                fields += ["approved_at", "valid_until"]
            return fields
        return ["updated_at"]

    moved = transition(
        ASSESSMENT,
        assessment,
        action,
        actor=actor,
        actor_role=role,
        event_model=AssessmentEvent,
        event_fk="assessment",
        note=note.strip()[:2000],
        at=at,
        guard=guard,
        changes=changes,
    )
    locked = moved.obj
    if action == APPROVE_ACTION:
        station_services.station_stars_set(
            station=assessment.station,
            stars=locked.stars,
            valid_until=locked.valid_until if locked.stars else None,
            reason=f"assessment:{locked.pk}",
            actor=actor,
        )
    return locked
