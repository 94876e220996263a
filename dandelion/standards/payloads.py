"""The standards app's rows as plain dicts, for the API and the pages alike."""

from django.utils import timezone

from .models import Assessment, Standard
from .workflow import ACTION_ROLE, ASSESSMENT


def _num(value) -> float | None:
    return None if value is None else float(value)


def standard_payload(standard: Standard) -> dict:
    return {
        "id": standard.pk,
        "region": standard.region.code if standard.region else None,
        "name": standard.name,
        "version": standard.version,
        "status": standard.status,
        "published_at": standard.published_at,
        "total_points": 100.0,
        "bonus_points": float(standard.bonus_points),
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "name_en": g.name_en,
                "max_points": float(
                    sum(i.max_points for i in g.indicators.all() if not i.is_bonus)
                ),
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "name_en": i.name_en,
                        "max_points": float(i.max_points),
                        "guide": i.guide,
                        "evidence_required": i.evidence_required,
                        "is_bonus": i.is_bonus,
                        "measure": i.measure or None,
                        "measure_params": i.measure_params,
                    }
                    for i in g.indicators.all()
                ],
            }
            for g in standard.groups.all()
        ],
        "levels": [
            {
                "stars": lv.stars,
                "min_points": float(lv.min_points),
                "min_area_m2": lv.min_area_m2,
                "required_amenities": lv.required_amenities,
                "required_indicators": lv.required_indicators,
            }
            for lv in standard.levels.all()
        ],
        "vetoes": [
            {"kind": v.kind, "days": v.days, "count": v.count, "effect": v.effect}
            for v in standard.vetoes.all()
        ],
    }


def assessment_payload(a: Assessment) -> dict:
    station = a.station
    return {
        "id": a.pk,
        "state": a.state,
        "station": {
            "id": station.pk,
            "name": station.name,
            "region": station.region.code,
            "stars": station.stars,
            "stars_valid_until": station.stars_valid_until,
        },
        "standard": {"id": a.standard_id, "name": a.standard.name, "version": a.standard.version},
        "round": {"id": a.round.pk, "name": a.round.name} if a.round else None,
        "total": float(a.total),
        "stars": a.stars,
        "valid_until": a.valid_until,
        "created_at": a.created_at,
        "approved_at": a.approved_at,
    }


def assessment_detail_payload(a: Assessment, *, actor, request=None) -> dict:
    from dandelion.core.permissions import can

    from .workflow import APPROVE, REVIEW, SELF_ASSESS

    held = {
        role
        for role, action in (
            ("station_manager", SELF_ASSESS),
            ("reviewer", REVIEW),
            ("approver", APPROVE),
        )
        if can(actor, action, a)
    }
    evidence_by = {}
    for e in a.evidence.all():
        url = e.image.url
        evidence_by.setdefault(e.indicator_id, []).append(
            {
                "id": e.pk,
                "url": request.build_absolute_uri(url) if request else url,
                "caption": e.caption,
                "created_at": e.created_at,
            }
        )
    return {
        **assessment_payload(a),
        "shortfalls": a.shortfalls,
        "actions": [
            action
            for action in ASSESSMENT.actions
            if ACTION_ROLE[action] in held and ASSESSMENT.is_possible(action, a.state)
        ],
        "scores": [
            {
                "code": s.indicator.code,
                "group": s.indicator.group.code,
                "group_name": s.indicator.group.name,
                "group_name_en": s.indicator.group.name_en,
                "name": s.indicator.name,
                "name_en": s.indicator.name_en,
                "max_points": float(s.indicator.max_points),
                "is_bonus": s.indicator.is_bonus,
                "evidence_required": s.indicator.evidence_required,
                "measure": s.indicator.measure or None,
                "measured_value": s.measured_value,
                "measured_source": s.measured_source,
                "measured_points": _num(s.measured_points),
                "self_points": _num(s.self_points),
                "self_note": s.self_note,
                "reviewed_points": _num(s.reviewed_points),
                "review_note": s.review_note,
                "override_reason": s.override_reason,
                "points": float(s.points),
                "evidence": evidence_by.get(s.indicator_id, []),
            }
            for s in a.scores.all()
        ],
        "events": [
            {
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": (e.actor.display_name or e.actor.username) if e.actor else None,
                "actor_role": e.actor_role,
                "note": e.note,
                "created_at": timezone.localtime(e.created_at),
            }
            for e in a.events.all()
        ],
    }
