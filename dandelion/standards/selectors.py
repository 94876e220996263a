"""All reads of standards, assessments and star levels."""

from collections import Counter

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import NotFound, PermissionDenied
from dandelion.core.permissions import EVERYTHING, get_scoped, permission_filter, require
from dandelion.regions.selectors import region_get, region_list, regions_all
from dandelion.stations.selectors import station_list

from .errors import StandardsError
from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentEvidence,
    AssessmentRound,
    AssessmentScore,
    Indicator,
    IndicatorGroup,
    Standard,
)
from .workflow import APPROVE, REVIEW, SELF_ASSESS, SELF_EDITABLE

S = Assessment.State


def _tree(qs: QuerySet[Standard]) -> QuerySet[Standard]:
    return qs.select_related("region").prefetch_related(
        Prefetch(
            "groups",
            queryset=IndicatorGroup.objects.order_by("order", "id").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id"))
            ),
        ),
        "levels",
        "vetoes",
    )


def ancestors(region) -> list:
    """The region and every region above it, nearest first (one query per level, at most 5)."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def standard_in_force(*, region) -> Standard | None:
    """The published standard that applies in `region`: its own, else the nearest region's
    above it, else the platform default (no region)."""
    chain = ancestors(region) if region is not None else []
    published = {
        s.region_id: s
        for s in Standard.objects.filter(
            Q(region__in=[r.pk for r in chain]) | Q(region__isnull=True),
            status=Standard.Status.PUBLISHED,
        )
    }
    for r in chain:
        if r.pk in published:
            return published[r.pk]
    return published.get(None)


def standard_with_tree(*, standard_id: int) -> Standard:
    standard = _tree(Standard.objects.filter(pk=standard_id)).first()
    if standard is None:
        raise NotFound(
            _("没有这项内容。"), code=StandardsError.NO_STANDARD, extra={"entity": "standard"}
        )
    return standard


def standard_current(*, region_code: str | None) -> Standard:
    """The standard in force in the region with `region_code` (the platform default without
    one), with its tree, thresholds and vetoes."""
    region = region_get(code=region_code) if region_code else None
    standard = standard_in_force(region=region)
    if standard is None:
        raise NotFound(
            _("这个区域还没有发布评定标准。"),
            code=StandardsError.NO_STANDARD,
            extra={"entity": "standard"},
        )
    return standard_with_tree(standard_id=standard.pk)


def standards_of_region(*, actor, region) -> QuerySet[Standard]:
    """Every version of the region's own standards (the default's when `region` is None)."""
    if region is not None:
        require(actor, "standard.view", region)
    else:
        require(actor, "standard.view")
    return Standard.objects.filter(region=region).select_related("region").order_by("-version")


def standard_for_edit(*, actor, standard_id: int) -> Standard:
    """A standard with its tree, if the caller may change its region's standards."""
    standard = standard_with_tree(standard_id=standard_id)
    if standard.region is None:
        # Only the platform (superusers) edits the default; region admins publish their own.
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(
                _("平台默认标准只能由平台管理员修改。"), extra={"action": "standard.change"}
            )
    else:
        require(actor, "standard.change", standard.region)
    return standard


def editable_regions(*, actor) -> QuerySet:
    """Regions whose standards the caller may change."""
    from dandelion.core.permissions import scope_queryset

    return scope_queryset(actor, "standard.change", regions_all()).order_by("code")


# ---- stars ----


def stars_distribution(*, region_code: str) -> dict:
    """How many active stations hold each star level (0 = unrated) in the region's subtree,
    and the same for each child region."""
    region = region_get(code=region_code)
    rows = list(station_list(region_code=region.code).values_list("region__code", "stars"))
    children = list(region_list(parent_code=region.code))
    totals = Counter(stars for _code, stars in rows)
    by_child = []
    for child in children:
        counts = Counter(stars for code, stars in rows if code.startswith(child.code_prefix))
        by_child.append(
            {
                "code": child.code,
                "name": child.name,
                "counts": [counts.get(level, 0) for level in range(6)],
                "total": sum(counts.values()),
            }
        )
    return {
        "code": region.code,
        "name": region.name,
        "counts": [totals.get(level, 0) for level in range(6)],
        "total": len(rows),
        "children": by_child,
    }


def star_table(
    *, actor, region_code: str, stars: int | None = None, text: str | None = None
) -> QuerySet:
    """Active stations of the region's subtree with their star level, for the staff table."""
    region = region_get(code=region_code)
    require(actor, "standard.view", region)
    qs = station_list(region_code=region.code, text=text).select_related("region")
    if stars is not None:
        qs = qs.filter(stars=stars)
    return qs.order_by("-stars", "region__code", "id")


# ---- assessments ----


def _assessment_rows(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.select_related("station__region", "standard", "round")


def _scoped(actor, action: str) -> Q | None:
    q = permission_filter(actor, action, Assessment)
    if q is EVERYTHING:
        return Q()
    return q


def assessment_list(
    *,
    actor,
    todo: bool = False,
    state: str | None = None,
    round_id: int | None = None,
    region_code: str | None = None,
) -> QuerySet[Assessment]:
    """Assessments the caller may see; `todo`: only those waiting for one of their roles (the
    station's self-assessment, a review, an approval or an appeal)."""
    visible = _scoped(actor, "assessment.view")
    if visible is None:
        require(actor, "assessment.view")
        return Assessment.objects.none()
    qs = Assessment.objects.filter(visible)
    if todo:
        waiting = Q(pk__in=[])
        for action, states in (
            (SELF_ASSESS, SELF_EDITABLE),
            (REVIEW, (S.SELF_ASSESSED,)),
            (APPROVE, (S.REVIEWED, S.APPEALED)),
        ):
            q = _scoped(actor, action)
            if q is not None:
                waiting |= Q(pk__in=Assessment.objects.filter(q, state__in=states).values("pk"))
        qs = qs.filter(waiting)
    if state:
        qs = qs.filter(state=state)
    if round_id:
        qs = qs.filter(round_id=round_id)
    if region_code:
        qs = qs.filter(station__region__code__startswith=region_get(code=region_code).code_prefix)
    return _assessment_rows(qs).order_by("-created_at", "-id")


def assessment_get(*, actor, assessment_id: int) -> Assessment:
    """One assessment the caller may see, with its scores (and their indicators), evidence and
    events; outside the caller's scope it does not exist."""
    qs = _assessment_rows(Assessment.objects.all()).prefetch_related(
        Prefetch(
            "scores",
            queryset=AssessmentScore.objects.select_related("indicator__group").order_by(
                "indicator__group__order", "indicator__order", "indicator_id"
            ),
        ),
        Prefetch("evidence", queryset=AssessmentEvidence.objects.order_by("created_at", "id")),
        Prefetch("events", queryset=AssessmentEvent.objects.select_related("actor")),
        "station__amenities",
        "standard__levels",
    )
    return get_scoped(actor, "assessment.view", qs, pk=assessment_id)


def queue_count(user) -> int:
    """How many assessments wait for the user (the console's badge)."""
    return assessment_list(actor=user, todo=True).count()


# ---- rounds ----


def round_list(*, actor) -> QuerySet[AssessmentRound]:
    """Rounds in the caller's regions, newest first, each with its count of assessments in
    every state (`n_<state>`), so a page of rounds costs one query."""
    from dandelion.core.permissions import scope_queryset

    counts = {
        f"n_{state}": Count("assessments", filter=Q(assessments__state=state)) for state in S.values
    }
    return (
        scope_queryset(actor, "assessment.view", AssessmentRound.objects.select_related("region"))
        .annotate(**counts)
        .order_by("-opened_at", "-id")
    )


def round_progress(*, round: AssessmentRound) -> dict[str, int]:
    """How many of the round's assessments are in each state, and in all (from `round_list`'s
    counts when the round came from there)."""
    if hasattr(round, f"n_{S.DRAFT}"):
        counts = {state: getattr(round, f"n_{state}") for state in S.values}
    else:
        counted = Counter(round.assessments.values_list("state", flat=True))
        counts = {state: counted.get(state, 0) for state in S.values}
    return {"total": sum(counts.values()), **counts}


def viewable_regions(*, actor) -> QuerySet:
    """Regions (down to streets) whose star tables the caller may read, broadest first."""
    from dandelion.core.permissions import scope_queryset

    return (
        scope_queryset(actor, "standard.view", regions_all())
        .exclude(level="community")
        .order_by("code")[:500]
    )
