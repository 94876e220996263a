"""Map tile presets: which tile service the maps draw on, and in which datum it is drawn.

`MAP_TILES` names a preset; settings turn it into `MAP_TILE_URL`, `MAP_TILE_SUBDOMAINS`,
`MAP_TILE_ATTRIBUTION`, `MAP_TILE_COORD` (the datum: Amap and Tencent draw in GCJ-02; Tianditu in
CGCS2000, which is WGS-84 to within centimetres; OpenStreetMap in WGS-84) and, for Tianditu, a
labels layer drawn over the base. The maps shift markers into the tiles' datum and taps back.

The default, `amap`, needs no key: it is what a newcomer and the demo see. `none` is the blank
grid, the offline fallback; the pages also fall back to it by themselves when tiles fail to load.
A `MAP_TILE_URL` in the environment overrides the preset's (with `MAP_TILE_COORD` and the rest).
"""

from dataclasses import asdict, dataclass, replace

DATUMS = ("wgs84", "gcj02")


@dataclass(frozen=True)
class TilePreset:
    url: str
    coord: str
    attribution: str
    subdomains: str = ""
    labels_url: str = ""  # drawn over the base (Tianditu serves roads and names separately)
    max_zoom: int = 18
    needs_key: bool = False


_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)

PRESETS: dict[str, TilePreset] = {
    # Amap's public road tiles: no key, Chinese labels, GCJ-02.
    "amap": TilePreset(
        url=(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}"
        ),
        subdomains="1234",
        coord="gcj02",
        attribution="© 高德地图 AutoNavi",
    ),
    # Tencent's road tiles: no key, GCJ-02, rows counted from the south (TMS, hence {-y}).
    "tencent": TilePreset(
        url="https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&styleid=1000&scene=0&version=347",
        subdomains="0123",
        coord="gcj02",
        attribution="© 腾讯地图 Tencent",
    ),
    # Tianditu (天地图), the national platform: a key (tk) from console.tianditu.gov.cn,
    # CGCS2000 ≈ WGS-84, roads and names as two layers.
    "tianditu": TilePreset(
        url=_TIANDITU.replace("{layer}", "vec"),
        labels_url=_TIANDITU.replace("{layer}", "cva"),
        subdomains="01234567",
        coord="wgs84",
        attribution="© 天地图 国家地理信息公共服务平台",
        needs_key=True,
    ),
    # OpenStreetMap's own tiles: no key, WGS-84; light use only (its tile usage policy).
    "osm": TilePreset(
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        coord="wgs84",
        attribution=(
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        ),
        max_zoom=19,
    ),
    "none": TilePreset(url="", coord="wgs84", attribution=""),
}

DEFAULT_PRESET = "amap"


def resolve_tiles(
    *,
    preset: str = "",
    key: str = "",
    url: str = "",
    coord: str = "",
    attribution: str = "",
    subdomains: str = "",
) -> dict:
    """The tile layer the maps use, as a dict of `TilePreset` fields (plus `preset`), from the
    environment's values; `ValueError` says what is wrong (settings raise it as
    ImproperlyConfigured)."""
    name = (preset or DEFAULT_PRESET).strip().lower()
    if url:
        # A URL of one's own: the preset only lends what is not given.
        base = PRESETS.get(name, PRESETS["none"])
        chosen = TilePreset(
            url=url,
            coord=(coord or "gcj02").lower(),
            attribution=attribution,
            subdomains=subdomains,
            max_zoom=base.max_zoom if base.url else 18,
        )
        name = "custom"
    else:
        if name not in PRESETS:
            raise ValueError(f"MAP_TILES must be one of {', '.join(PRESETS)} (got {name!r}).")
        chosen = PRESETS[name]
        if chosen.needs_key:
            if not key:
                raise ValueError(f"MAP_TILES={name} needs MAP_TILE_KEY (the provider's key).")
            chosen = replace(
                chosen,
                url=chosen.url.replace("{key}", key),
                labels_url=chosen.labels_url.replace("{key}", key),
            )
        if attribution:
            chosen = replace(chosen, attribution=attribution)
    if chosen.coord not in DATUMS:
        raise ValueError("MAP_TILE_COORD must be gcj02 or wgs84.")
    return {"preset": name, **asdict(chosen)}
