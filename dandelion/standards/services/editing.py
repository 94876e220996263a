"""Writing standards: a draft copied from the one in force, edited, validated, published.

A standard's rules (checked by `standard_validate`, each broken rule one `errors[]` item with
its path, e.g. `groups[2].indicators[0].max_points`):
- the indicators' points (bonus items aside) sum to exactly 100; the bonus items sum to the
  standard's `bonus_points`;
- the star thresholds rise strictly with the stars, each within 0–100;
- group codes and indicator codes are unique in the standard;
- a measure is one the platform knows, and a prerequisite names an indicator of the standard.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, InvalidInput, field_error
from dandelion.core.permissions import require

from .. import selectors
from ..errors import StandardsError
from ..models import Indicator, IndicatorGroup, Measure, Standard, StarLevel, VetoRule

E = StandardsError
HUNDRED = Decimal(100)


def standard_validate(standard: Standard) -> None:
    """Raise `InvalidInput` listing every rule the standard breaks (see the module)."""
    standard = selectors.standard_with_tree(standard_id=standard.pk)
    errors: list[dict[str, Any]] = []
    total, bonus = Decimal(0), Decimal(0)
    group_codes: set[str] = set()
    indicator_codes: set[str] = set()
    for g, group in enumerate(standard.groups.all()):
        if group.code in group_codes:
            errors.append(
                field_error(
                    f"groups[{g}].code",
                    E.DUPLICATE_CODE,
                    _("一级指标代码 %(code)s 重复。") % {"code": group.code},
                )
            )
        group_codes.add(group.code)
        for i, indicator in enumerate(group.indicators.all()):
            path = f"groups[{g}].indicators[{i}]"
            if indicator.code in indicator_codes:
                errors.append(
                    field_error(
                        f"{path}.code",
                        E.DUPLICATE_CODE,
                        _("二级指标代码 %(code)s 重复。") % {"code": indicator.code},
                    )
                )
            indicator_codes.add(indicator.code)
            if indicator.measure not in Measure.values:
                errors.append(
                    field_error(f"{path}.measure", E.UNKNOWN_MEASURE, _("未知的自动测量方式。"))
                )
            if indicator.is_bonus:
                bonus += indicator.max_points
            else:
                total += indicator.max_points
    if total != HUNDRED:
        errors.append(
            field_error(
                "groups",
                E.POINTS_SUM,
                _("二级指标分值合计应为 100 分，现为 %(total)s 分。") % {"total": total},
            )
        )
    if bonus != standard.bonus_points:
        errors.append(
            field_error(
                "bonus_points",
                E.BONUS_SUM,
                _("加分项分值合计应为 %(bonus)s 分，现为 %(sum)s 分。")
                % {"bonus": standard.bonus_points, "sum": bonus},
            )
        )
    previous = None
    for n, level in enumerate(standard.levels.all()):
        path = f"levels[{n}].min_points"
        if not Decimal(0) <= level.min_points <= HUNDRED:
            errors.append(field_error(path, E.THRESHOLDS_ORDER, _("门槛分应在 0 到 100 之间。")))
        if previous is not None and level.min_points <= previous:
            errors.append(
                field_error(
                    path,
                    E.THRESHOLDS_ORDER,
                    _("%(stars)s 星的门槛分应高于低一级的 %(previous)s 分。")
                    % {"stars": level.stars, "previous": previous},
                )
            )
        previous = level.min_points
        for code in level.required_indicators or ():
            if code not in indicator_codes:
                errors.append(
                    field_error(
                        f"levels[{n}].required_indicators",
                        E.UNKNOWN_INDICATOR,
                        _("前置条件中的指标 %(code)s 不存在。") % {"code": code},
                    )
                )
    if errors:
        raise InvalidInput(errors[0]["msg"], code=errors[0]["code"], errors=errors)


def _copy_tree(source: Standard, target: Standard) -> None:
    for group in source.groups.all():
        indicators = list(group.indicators.all())
        group.pk, group.standard = None, target
        group.save()
        for indicator in indicators:
            indicator.pk, indicator.group = None, group
            indicator.save()
    for level in source.levels.all():
        level.pk, level.standard = None, target
        level.save()
    for veto in source.vetoes.all():
        veto.pk, veto.standard = None, target
        veto.save()


@transaction.atomic
def standard_draft_create(*, actor, region) -> Standard:
    """A draft of the region's next version, copied from the standard in force there (its
    own newest draft if one is open: a region edits one draft at a time)."""
    require(actor, "standard.change", region)
    existing = Standard.objects.filter(region=region, status=Standard.Status.DRAFT).first()
    if existing is not None:
        return existing
    source = selectors.standard_in_force(region=region)
    if source is None:
        raise Conflict(_("没有可以复制的标准。"), code=E.NO_STANDARD)
    source = selectors.standard_with_tree(standard_id=source.pk)
    last = Standard.objects.filter(region=region).aggregate(v=Max("version"))["v"] or 0
    draft = Standard.objects.create(
        region=region,
        name=source.name,
        version=last + 1,
        status=Standard.Status.DRAFT,
        bonus_points=source.bonus_points,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _copy_tree(source, draft)
    return draft


def _draft_locked(actor, standard_id: int) -> Standard:
    standard = selectors.standard_for_edit(actor=actor, standard_id=standard_id)
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    if locked.status != Standard.Status.DRAFT:
        raise Conflict(
            _("只能修改草稿；已发布的标准请另建新版本。"),
            code=E.NOT_DRAFT,
            extra={"entity": "standard", "state": locked.status},
        )
    return locked


def _decimal(value, path: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception:
        number = Decimal("NaN")
    if not number.is_finite() or not Decimal(0) <= number <= HUNDRED:
        raise InvalidInput(
            _("分值应在 0 到 100 之间。"),
            errors=[field_error(path, E.SCORE_OUT_OF_RANGE, _("分值应在 0 到 100 之间。"))],
        )
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def standard_draft_update(
    *,
    actor,
    standard_id: int,
    name: str | None = None,
    indicators: dict[str, dict] | None = None,
    levels: dict[int, dict] | None = None,
    vetoes: dict[str, dict] | None = None,
    new_indicator: dict | None = None,
) -> Standard:
    """Change a draft: its name; indicators by code (`name`, `name_en`, `max_points`, `guide`,
    `evidence_required`, `measure`, `delete`); one `new_indicator` (`group`, `code`, `name`,
    `max_points`…); thresholds by stars (`min_points`, `min_area_m2`, `required_amenities`,
    `required_indicators`: lists or comma-separated codes) and veto rules by kind (`days`,
    `count`, `effect`). The draft may be left invalid while being edited; `standard_publish`
    refuses it until it is valid."""
    standard = _draft_locked(actor, standard_id)
    if name is not None and name.strip():
        standard.name = name.strip()[:120]
        standard.save(update_fields=["name"])
    by_code = {i.code: i for i in Indicator.objects.filter(group__standard=standard)}
    for code, changes in (indicators or {}).items():
        indicator = by_code.get(code)
        if indicator is None:
            raise InvalidInput(
                _("没有代码为 %(code)s 的指标。") % {"code": code},
                errors=[
                    field_error(f"indicators.{code}", E.UNKNOWN_INDICATOR, _("没有这个指标。"))
                ],
            )
        for field in ("name", "name_en", "guide"):
            if field in changes and changes[field] is not None:
                setattr(indicator, field, str(changes[field]).strip())
        if "evidence_required" in changes:
            indicator.evidence_required = bool(changes["evidence_required"])
        if changes.get("max_points") not in (None, ""):
            indicator.max_points = _decimal(changes["max_points"], f"indicators.{code}.max_points")
        if changes.get("delete"):
            indicator.delete()
            continue
        if "measure" in changes and (changes["measure"] or "") != indicator.measure:
            indicator.measure = _measure(changes["measure"], f"indicators.{code}.measure")
            indicator.measure_params = dict(DEFAULT_PARAMS.get(indicator.measure, {}))
        indicator.save()
    if new_indicator and str(new_indicator.get("code") or "").strip():
        _indicator_add(standard, new_indicator)
    by_stars = {level.stars: level for level in StarLevel.objects.filter(standard=standard)}
    for stars, changes in (levels or {}).items():
        level = by_stars.get(int(stars))
        if level is None:
            continue
        if changes.get("min_points") not in (None, ""):
            level.min_points = _decimal(changes["min_points"], f"levels.{stars}.min_points")
        if "min_area_m2" in changes:
            area = changes["min_area_m2"]
            level.min_area_m2 = _whole(area, f"levels.{stars}.min_area_m2") if area else None
        if "required_amenities" in changes:
            level.required_amenities = _amenities(
                _codes(changes["required_amenities"]), f"levels.{stars}.required_amenities"
            )
        if "required_indicators" in changes:
            level.required_indicators = _codes(changes["required_indicators"])
        level.save()
    for kind, changes in (vetoes or {}).items():
        veto = VetoRule.objects.filter(standard=standard, kind=kind).first()
        if veto is None:
            continue
        for field in ("days", "count"):
            if changes.get(field) not in (None, ""):
                value = _whole(changes[field], f"vetoes.{kind}.{field}")
                if value < 1:
                    raise InvalidInput(
                        _("天数和次数至少为 1。"),
                        errors=[
                            field_error(
                                f"vetoes.{kind}.{field}",
                                E.SCORE_OUT_OF_RANGE,
                                _("至少为 1。"),
                            )
                        ],
                    )
                setattr(veto, field, value)
        if changes.get("effect") in VetoRule.Effect.values:
            veto.effect = changes["effect"]
        veto.save()
    return standard


# What a measure starts with when an editor picks it (its parameters are then the standard's).
DEFAULT_PARAMS = {
    Measure.WEEKLY_HOURS: {"full_at": 84},
    Measure.AREA: {"full_at": 30},
    Measure.SEATS: {"full_at": 10},
    Measure.VISITS_PER_MONTH: {"full_at": 300, "months": 3},
    Measure.SERVICES_HELD: {"full_at": 6, "months": 6},
    Measure.NEEDS_ON_TIME: {"months": 6, "radius_m": 500},
    Measure.AVERAGE_RATING: {"months": 6, "radius_m": 500},
    Measure.COMPLAINTS_FIXED: {"months": 6, "radius_m": 100},
    Measure.FACTS_FRESHNESS: {"full_within_days": 90, "zero_after_days": 365},
    Measure.AMENITIES: {"amenities": []},
}


def _refuse(path: str, code: StandardsError, message) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[field_error(path, code, message)])


def _whole(value, path: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        raise _refuse(path, E.SCORE_OUT_OF_RANGE, _("请填写 0 到 100000 之间的整数。"))
    return number


def _codes(value) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return [str(item).strip() for item in items if str(item).strip()][:20]


def _amenities(codes: list[str], path: str) -> list[str]:
    from dandelion.stations.selectors import amenity_list

    known = set(amenity_list().values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise _refuse(
            path,
            E.UNKNOWN_INDICATOR,
            _("没有这些设施：%(codes)s。") % {"codes": ", ".join(unknown)},
        )
    return codes


def _measure(value, path: str) -> str:
    value = value or ""
    if value not in Measure.values:
        raise _refuse(path, E.UNKNOWN_MEASURE, _("未知的自动测量方式。"))
    return value


def _indicator_add(standard: Standard, given: dict) -> Indicator:
    code = str(given.get("code") or "").strip()[:8]
    group = standard.groups.filter(code=str(given.get("group") or "")).first()
    if group is None:
        raise _refuse("new.group", E.UNKNOWN_INDICATOR, _("请选择一级指标。"))
    if Indicator.objects.filter(group__standard=standard, code=code).exists():
        raise _refuse(
            "new.code", E.DUPLICATE_CODE, _("二级指标代码 %(code)s 重复。") % {"code": code}
        )
    name = str(given.get("name") or "").strip()[:80]
    if not name:
        raise _refuse("new.name", E.SCORE_MISSING, _("请填写指标名称。"))
    measure = _measure(given.get("measure"), "new.measure")
    return Indicator.objects.create(
        group=group,
        code=code,
        name=name,
        name_en=str(given.get("name_en") or "").strip()[:120],
        max_points=_decimal(given.get("max_points") or 0, "new.max_points"),
        guide=str(given.get("guide") or "").strip(),
        evidence_required=bool(given.get("evidence_required")),
        is_bonus=bool(given.get("is_bonus")),
        measure=measure,
        measure_params=dict(DEFAULT_PARAMS.get(measure, {})),
        order=group.indicators.count(),
    )


@transaction.atomic
def standard_publish(*, actor, standard_id: int) -> Standard:
    """Validate the draft and publish it as the region's standard in force; the version
    published before is retired. Assessments keep the version they were opened with."""
    standard = _draft_locked(actor, standard_id)
    standard_validate(standard)
    Standard.objects.filter(region=standard.region, status=Standard.Status.PUBLISHED).update(
        status=Standard.Status.RETIRED
    )
    standard.status = Standard.Status.PUBLISHED
    standard.published_at = timezone.now()
    standard.save(update_fields=["status", "published_at"])
    return standard


def group_add(*, standard: Standard, code: str, name: str, name_en: str = "") -> IndicatorGroup:
    """A first-level indicator on a draft (the demo and tests build trees with it)."""
    order = standard.groups.count()
    return IndicatorGroup.objects.create(
        standard=standard, code=code, name=name, name_en=name_en, order=order
    )
