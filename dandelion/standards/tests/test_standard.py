"""The default standard, its validation with field paths, drafts, publishing, and which
standard is in force where."""

from decimal import Decimal

import pytest

from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied
from dandelion.standards import selectors, services
from dandelion.standards.errors import StandardsError
from dandelion.standards.models import Indicator, Standard, StarLevel


def test_the_default_standard_is_loaded_by_migration(db):
    standard = selectors.standard_current(region_code=None)
    assert standard.region is None and standard.status == "published"
    groups = list(standard.groups.all())
    indicators = [i for g in groups for i in g.indicators.all()]
    scored = [i for i in indicators if not i.is_bonus]
    assert len(groups) == 8 and len(scored) == 21
    assert sum(i.max_points for i in scored) == 100
    assert sum(i.max_points for i in indicators if i.is_bonus) == 5
    levels = {lv.stars: lv for lv in standard.levels.all()}
    assert [levels[n].min_points for n in range(1, 6)] == [60, 70, 80, 88, 95]
    assert levels[5].min_area_m2 == 30
    assert levels[5].required_amenities == ["aed"]
    assert levels[5].required_indicators == ["D2"]
    assert {v.kind for v in standard.vetoes.all()} == {"unfixed_complaint", "missed_opening"}
    services.standard_validate(standard)


@pytest.fixture
def draft(sw):
    return services.standard_draft_create(actor=sw.city_admin, region=sw.city)


def test_a_draft_copies_the_standard_in_force(sw, draft):
    assert draft.region == sw.city and draft.version == 1 and draft.status == "draft"
    assert Indicator.objects.filter(group__standard=draft).count() == 22
    # one draft at a time
    assert services.standard_draft_create(actor=sw.city_admin, region=sw.city) == draft


def test_points_that_do_not_sum_to_100_are_refused_with_their_path(sw, draft):
    services.standard_draft_update(
        actor=sw.city_admin, standard_id=draft.pk, indicators={"A1": {"max_points": 8}}
    )
    with pytest.raises(InvalidInput) as caught:
        services.standard_publish(actor=sw.city_admin, standard_id=draft.pk)
    assert caught.value.errors[0]["code"] == StandardsError.POINTS_SUM
    assert caught.value.errors[0]["field"] == "groups"
    assert Standard.objects.get(pk=draft.pk).status == "draft"


def test_thresholds_must_rise_strictly(sw, draft):
    services.standard_draft_update(
        actor=sw.city_admin, standard_id=draft.pk, levels={4: {"min_points": 80}}
    )
    with pytest.raises(InvalidInput) as caught:
        services.standard_validate(draft)
    error = caught.value.errors[0]
    assert error["code"] == StandardsError.THRESHOLDS_ORDER
    assert error["field"] == "levels[3].min_points"


def test_codes_must_be_unique(sw, draft):
    Indicator.objects.filter(group__standard=draft, code="B1").update(code="A1")
    with pytest.raises(InvalidInput) as caught:
        services.standard_validate(draft)
    assert caught.value.errors[0]["code"] == StandardsError.DUPLICATE_CODE
    assert caught.value.errors[0]["field"] == "groups[1].indicators[0].code"


def test_a_score_out_of_range_is_refused(sw, draft):
    with pytest.raises(InvalidInput) as caught:
        services.standard_draft_update(
            actor=sw.city_admin, standard_id=draft.pk, indicators={"A1": {"max_points": "-1"}}
        )
    assert caught.value.errors[0]["field"] == "indicators.A1.max_points"


def test_publishing_makes_it_the_citys_standard_and_retires_the_previous(sw, draft):
    services.standard_draft_update(
        actor=sw.city_admin,
        standard_id=draft.pk,
        name="九江市驿站星级标准",
        indicators={"A1": {"max_points": 5}, "A3": {"max_points": 6, "guide": "新细则"}},
        levels={5: {"min_points": 96}},
    )
    services.standard_publish(actor=sw.city_admin, standard_id=draft.pk)
    assert selectors.standard_in_force(region=sw.street) == draft
    assert selectors.standard_in_force(region=sw.city) == draft
    # Published: no more edits
    with pytest.raises(Conflict):
        services.standard_draft_update(actor=sw.city_admin, standard_id=draft.pk, name="x")
    second = services.standard_draft_create(actor=sw.city_admin, region=sw.city)
    assert second.version == 2
    assert StarLevel.objects.get(standard=second, stars=5).min_points == Decimal(96)
    services.standard_publish(actor=sw.city_admin, standard_id=second.pk)
    assert Standard.objects.get(pk=draft.pk).status == "retired"
    assert selectors.standard_in_force(region=sw.xunyang) == second


def test_a_districts_own_standard_wins_below_it(sw, draft):
    services.standard_publish(actor=sw.city_admin, standard_id=draft.pk)
    district = services.standard_draft_create(actor=sw.admin, region=sw.xunyang)
    services.standard_publish(actor=sw.admin, standard_id=district.pk)
    assert selectors.standard_in_force(region=sw.street) == district
    assert selectors.standard_in_force(region=sw.lianxi) == draft


def test_only_region_admins_of_the_region_edit(sw):
    with pytest.raises(PermissionDenied):
        services.standard_draft_create(actor=sw.admin, region=sw.city)
    with pytest.raises(PermissionDenied):
        services.standard_draft_create(actor=sw.district_reviewer, region=sw.xunyang)
    default = selectors.standard_current(region_code=None)
    with pytest.raises(PermissionDenied):
        services.standard_draft_update(actor=sw.city_admin, standard_id=default.pk, name="x")


def test_assessments_keep_their_version(sw, draft):
    opened = services.assessment_open(actor=sw.manager, station_id=sw.station.pk)
    services.standard_publish(actor=sw.city_admin, standard_id=draft.pk)
    opened.refresh_from_db()
    assert opened.standard.region is None


def test_a_draft_gains_and_loses_indicators_and_prerequisites(sw, draft):
    services.standard_draft_update(
        actor=sw.city_admin,
        standard_id=draft.pk,
        indicators={"A3": {"delete": True}, "A2": {"measure": "seats"}},
        new_indicator={"group": "A", "code": "A4", "name": "无障碍设施", "max_points": "5"},
        levels={5: {"required_amenities": "aed, first_aid", "required_indicators": "D2,A4"}},
    )
    codes = set(Indicator.objects.filter(group__standard=draft).values_list("code", flat=True))
    assert "A3" not in codes and "A4" in codes
    a2 = Indicator.objects.get(group__standard=draft, code="A2")
    assert (a2.measure, a2.measure_params) == ("seats", {"full_at": 10})
    level = StarLevel.objects.get(standard=draft, stars=5)
    assert level.required_amenities == ["aed", "first_aid"]
    assert level.required_indicators == ["D2", "A4"]
    services.standard_validate(draft)  # 100 − 5 + 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"new_indicator": {"group": "A", "code": "A1", "name": "x"}}, "new.code"),
        ({"new_indicator": {"group": "Z", "code": "Z1", "name": "x"}}, "new.group"),
        ({"indicators": {"A1": {"measure": "telepathy"}}}, "indicators.A1.measure"),
        ({"levels": {5: {"required_amenities": "unicorn"}}}, "levels.5.required_amenities"),
        ({"vetoes": {"missed_opening": {"days": "many"}}}, "vetoes.missed_opening.days"),
    ],
)
def test_bad_edits_name_their_field(sw, draft, changes, field):
    with pytest.raises(InvalidInput) as caught:
        services.standard_draft_update(actor=sw.city_admin, standard_id=draft.pk, **changes)
    assert caught.value.errors[0]["field"] == field
