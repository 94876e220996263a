"""The tile presets (config/map_tiles.py): each provider's URL, datum and attribution, the key
Tianditu needs, a URL of one's own, and `none`, the blank grid."""

import pytest

from config.map_tiles import DEFAULT_PRESET, PRESETS, resolve_tiles


def test_the_default_needs_no_key_and_draws_in_gcj02():
    layer = resolve_tiles()

    assert DEFAULT_PRESET == "amap" and layer["preset"] == "amap"
    assert layer["url"].startswith("https://webrd0{s}.is.autonavi.com/appmaptile?")
    assert (layer["coord"], layer["subdomains"]) == ("gcj02", "1234")
    assert "高德" in layer["attribution"]


@pytest.mark.parametrize(
    ("name", "coord", "host"),
    [
        ("amap", "gcj02", "is.autonavi.com"),
        ("tencent", "gcj02", "map.gtimg.com"),
        ("osm", "wgs84", "tile.openstreetmap.org"),
    ],
)
def test_each_preset_says_its_datum(name, coord, host):
    layer = resolve_tiles(preset=name)

    assert layer["coord"] == coord and host in layer["url"]
    assert layer["attribution"]
    for placeholder in ("{z}", "{x}"):
        assert placeholder in layer["url"]


def test_tencent_counts_rows_from_the_south():
    assert "y={-y}" in resolve_tiles(preset="tencent")["url"]


def test_tianditu_needs_its_key_and_draws_names_over_roads():
    with pytest.raises(ValueError, match="MAP_TILE_KEY"):
        resolve_tiles(preset="tianditu")

    layer = resolve_tiles(preset="Tianditu", key="abc123")

    assert layer["coord"] == "wgs84"  # CGCS2000
    assert "LAYER=vec" in layer["url"] and layer["url"].endswith("tk=abc123")
    assert "LAYER=cva" in layer["labels_url"] and layer["labels_url"].endswith("tk=abc123")


def test_none_is_the_blank_grid():
    layer = resolve_tiles(preset="none")

    assert (layer["url"], layer["labels_url"], layer["coord"]) == ("", "", "wgs84")


def test_a_url_of_ones_own_overrides_the_preset():
    layer = resolve_tiles(
        url="https://tiles.example/{z}/{x}/{y}.png",
        coord="WGS84",
        attribution="© 示例",
        subdomains="ab",
    )

    assert layer["preset"] == "custom" and layer["coord"] == "wgs84"
    assert (layer["attribution"], layer["subdomains"]) == ("© 示例", "ab")
    # Without a datum, a custom URL is taken for a Chinese provider's (GCJ-02), as before.
    assert resolve_tiles(url="https://t.example/{z}/{x}/{y}.png")["coord"] == "gcj02"


def test_bad_names_and_datums_are_refused():
    with pytest.raises(ValueError, match="MAP_TILES must be one of"):
        resolve_tiles(preset="google")
    with pytest.raises(ValueError, match="MAP_TILE_COORD"):
        resolve_tiles(url="https://t.example/{z}/{x}/{y}.png", coord="bd09")


def test_every_preset_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for name in PRESETS:
        assert f"`{name}`" in readme
