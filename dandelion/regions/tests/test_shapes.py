"""Boundaries, populations and the point lookup: validation, file loading, nothing on error."""

import json

import h3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dandelion.core.errors import InvalidInput
from dandelion.regions.models import PopulationCell, Region
from dandelion.regions.selectors import region_at_point
from dandelion.regions.services import (
    boundaries_load_geojson,
    population_load_csv,
    region_shape_set,
)
from dandelion.regions.shapes import BoundaryInvalid, boundary_validate


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code, geometry, **properties) -> dict:
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


STREET = box(115.98, 29.71, 116.00, 29.73)
COMMUNITY = box(115.985, 29.715, 115.995, 29.725)


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "Point", "coordinates": [116, 29]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[116, 29], [116.1, 29], [116, 29.1]]]},  # too short
        {"type": "Polygon", "coordinates": [[[116, 29], [116.1, 29], [116, 29.1], [116, 29.2]]]},
        {"type": "Polygon", "coordinates": [[[116, 95], [116.1, 29], [116, 29.1], [116, 95]]]},
        {"type": "Polygon", "coordinates": [[["a", 29], [116.1, 29], [116, 29.1], ["a", 29]]]},
        # a bow tie crosses itself
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        # two overlapping polygons
        {
            "type": "MultiPolygon",
            "coordinates": [box(0, 0, 2, 2)["coordinates"], box(1, 1, 3, 3)["coordinates"]],
        },
    ],
)
def test_bad_boundaries_are_refused(geometry):
    with pytest.raises(BoundaryInvalid):
        boundary_validate(geometry)


def test_a_good_boundary_sets_the_box_and_answers_points(jiujiang):
    region = region_shape_set(region=jiujiang["street"], boundary=STREET, population=50000)
    region.refresh_from_db()
    assert region.boundary == STREET and region.population == 50000
    assert (region.bbox_west, region.bbox_south, region.bbox_east, region.bbox_north) == (
        115.98, 29.71, 116.0, 29.73
    )  # fmt: skip
    assert region_at_point(lat=29.72, lng=115.99) == region
    assert region_at_point(lat=29.72, lng=116.01) is None


def test_the_deepest_region_holding_a_point_wins(jiujiang):
    region_shape_set(region=jiujiang["xunyang"], boundary=box(115.9, 29.6, 116.1, 29.8))
    region_shape_set(region=jiujiang["street"], boundary=STREET)
    region_shape_set(region=jiujiang["community"], boundary=COMMUNITY)
    assert region_at_point(lat=29.72, lng=115.99) == jiujiang["community"]
    assert region_at_point(lat=29.728, lng=115.99) == jiujiang["street"]
    assert region_at_point(lat=29.65, lng=115.95) == jiujiang["xunyang"]
    assert region_at_point(lat=29.72, lng=115.99, levels=["street"]) == jiujiang["street"]


def test_boundaries_load_from_geojson(jiujiang, tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text(
        collection(
            feature("360403001", STREET, population=52000),
            {"type": "Feature", "properties": {"adcode": "360403001001"}, "geometry": COMMUNITY},
        ),
        encoding="utf-8",
    )
    call_command("load_boundaries", str(path))
    street, community = (
        Region.objects.get(code="360403001"),
        Region.objects.get(code="360403001001"),
    )
    assert street.boundary == STREET and street.population == 52000
    assert community.boundary == COMMUNITY and community.population is None


def test_a_bad_feature_loads_nothing_and_says_where(jiujiang, tmp_path, capsys):
    path = tmp_path / "b.geojson"
    bad_ring = {
        "type": "Polygon",
        "coordinates": [[[116, 29], [116.1, 29], [116, 29.1], [116, 29.2]]],
    }
    path.write_text(
        collection(
            feature("360403001", STREET),
            feature("360403001001", bad_ring),
            feature("369999", STREET),
            feature("360403", STREET, population=-3),
            {"type": "Feature", "properties": {}, "geometry": STREET},
            {"type": "Feature", "properties": ["360403"], "geometry": STREET},
            "not a feature",
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(path))
    err = capsys.readouterr().err
    assert "feature 2 [geometry]" in err and "feature 3 [code]" in err
    assert "feature 4 [population]" in err and "feature 5 [code]" in err
    assert "feature 6 [code]" in err and "feature 7 [code]" in err
    assert "feature 1" not in err
    assert not Region.objects.filter(boundary__isnull=False).exists()


@pytest.mark.parametrize(
    "text", ["not json", json.dumps({"type": "Feature"}), json.dumps({"type": "FeatureCollection"})]
)
def test_a_file_that_is_not_a_feature_collection(jiujiang, text):
    with pytest.raises(InvalidInput) as err:
        boundaries_load_geojson(text=text)
    assert err.value.code == "geojson_invalid"


def test_populations_load_by_code(jiujiang, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,people\n360403,320000\n360403001,52000\n", encoding="utf-8")
    call_command("load_population", str(path))
    assert Region.objects.get(code="360403").population == 320000
    assert Region.objects.get(code="360403001").population == 52000


def test_a_population_grid_loads_with_its_city(jiujiang, tmp_path):
    region_shape_set(region=jiujiang["street"], boundary=STREET)
    inside = h3.latlng_to_cell(29.72, 115.99, 9)
    elsewhere = h3.latlng_to_cell(30.5, 114.3, 9)
    path = tmp_path / "g.csv"
    path.write_text(f"h3,people,city\n{inside},120,\n{elsewhere},80,360400\n", encoding="utf-8")
    call_command("load_population", str(path))
    assert dict(PopulationCell.objects.values_list("h3", "city_code")) == {
        inside: "360400",
        elsewhere: "360400",
    }
    # Loading again updates the cells.
    path.write_text(f"h3,people\n{inside},130\n", encoding="utf-8")
    call_command("load_population", str(path))
    assert (
        PopulationCell.objects.get(h3=inside).people == 130 and PopulationCell.objects.count() == 2
    )


def test_bad_population_rows_load_nothing(jiujiang, tmp_path, capsys):
    cell = h3.latlng_to_cell(29.72, 115.99, 9)
    coarse = h3.latlng_to_cell(29.72, 115.99, 7)
    path = tmp_path / "g.csv"
    path.write_text(
        f"h3,people\n{cell},10\n{coarse},5\nzzz,5\n{cell},3\n"
        f"{h3.latlng_to_cell(29.73, 115.99, 9)},-1\n{h3.latlng_to_cell(10.0, 10.0, 9)},4\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("load_population", str(path), "--city", "360400")
    err = capsys.readouterr().err
    for expected in ("line 3 [h3]", "line 4 [h3]", "line 5 [h3]", "line 6 [people]"):
        assert expected in err
    assert "line 2" not in err and "line 7" not in err  # --city says where the far cell is
    assert not PopulationCell.objects.exists()

    path.write_text(f"h3,people\n{h3.latlng_to_cell(10.0, 10.0, 9)},4\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_population", str(path))
    assert "line 2 [city]" in capsys.readouterr().err

    with pytest.raises(InvalidInput) as err:
        population_load_csv(text="code,h3,people\n")
    assert err.value.code == "csv_missing_columns"
    with pytest.raises(InvalidInput):
        population_load_csv(text="code,people\n369999,5\n360403,1.5\n360402,3000000000\n")
    assert Region.objects.get(code="360403").population is None
