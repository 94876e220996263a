"""Where in Jiujiang (九江) the demo may put a place: urban land, not lakes, not the river.

All coordinates are WGS-84 and approximate (a few hundred metres): good enough for a demo map,
not a survey. Urban land is a set of boxes per street (街道), drawn conservatively inside the
built-up area south of the Yangtze; lakes are exclusion boxes drawn a little larger than the
water; points are drawn by rejection sampling.
"""

import itertools
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: float, lng: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lng <= self.east


# Lakes of the central city. 甘棠湖 and 八里湖 are the boxes the programme brief names, with a
# margin; 南湖 joins 甘棠湖 to the south-east; 白水湖 is the small lake its street is named for.
LAKES: dict[str, Box] = {
    "甘棠湖": Box(29.699, 29.713, 115.984, 115.996),
    "南湖": Box(29.690, 29.703, 115.993, 116.006),
    "八里湖": Box(29.652, 29.696, 115.926, 115.973),
    "白水湖": Box(29.707, 29.716, 116.032, 116.043),
}

# The Yangtze's south bank as (lng, lat) vertices, west to east. Between them the bank is taken
# as a straight line; a point must stay RIVER_MARGIN degrees (about 330 m) south of it.
RIVER_SOUTH_BANK: tuple[tuple[float, float], ...] = (
    (115.85, 29.726),
    (115.95, 29.733),
    (116.00, 29.734),
    (116.04, 29.738),
    (116.08, 29.748),
    (116.12, 29.760),
)
RIVER_MARGIN = 0.003


@dataclass(frozen=True)
class StreetArea:
    """A street's built-up land and the roads its addresses use."""

    code: str
    district: str
    boxes: tuple[Box, ...]
    roads: tuple[str, ...]


STREET_AREAS: dict[str, StreetArea] = {
    area.code: area
    for area in (
        # 浔阳区: the old city between the river and the lakes, and 八里湖 new town.
        StreetArea(
            "360403001",
            "浔阳区",
            (Box(29.712, 29.726, 115.982, 116.000), Box(29.700, 29.712, 115.996, 116.004)),
            ("浔阳路", "庾亮南路", "庾亮北路", "甘棠北路", "大中路"),
        ),
        StreetArea(
            "360403002",
            "浔阳区",
            (Box(29.721, 29.728, 115.972, 115.996),),
            ("湓浦路", "滨江路", "西园路", "大中路", "龙开河路"),
        ),
        StreetArea(
            "360403003",
            "浔阳区",
            (Box(29.714, 29.729, 116.000, 116.014),),
            ("浔阳东路", "滨江路", "环城路", "塔岭北路"),
        ),
        StreetArea(
            "360403004",
            "浔阳区",
            (Box(29.700, 29.726, 116.030, 116.050),),
            ("九龙街", "浔阳东路", "滨江东路", "湖滨路"),
        ),
        StreetArea(
            "360403005",
            "浔阳区",
            (Box(29.690, 29.722, 115.955, 115.981),),
            ("长虹大道", "长虹西大道", "前进西路", "九瑞大道"),
        ),
        StreetArea(
            "360403006",
            "浔阳区",
            (Box(29.645, 29.690, 115.898, 115.925),),
            ("长江大道", "九瑞大道", "琵琶湖路", "八里湖路"),
        ),
        StreetArea(
            "360403091",
            "浔阳区",
            (Box(29.703, 29.728, 116.013, 116.030),),
            ("浔阳东路", "塔岭南路", "向阳路", "九龙街"),
        ),
        StreetArea(
            "360403092",
            "浔阳区",
            (Box(29.715, 29.734, 116.050, 116.072),),
            ("滨江东路", "滨兴大道", "港务路"),
        ),
        # 濂溪区: south of the lakes towards 庐山.
        StreetArea(
            "360402001",
            "濂溪区",
            (Box(29.672, 29.700, 116.006, 116.040),),
            ("十里大道", "庐山南路", "长虹大道", "濂溪大道"),
        ),
        StreetArea(
            "360402002",
            "濂溪区",
            (Box(29.658, 29.690, 115.975, 116.005),),
            ("庐山南路", "前进东路", "五里大道", "长虹大道"),
        ),
        StreetArea(
            "360402103",
            "濂溪区",
            (Box(29.628, 29.652, 115.978, 116.008),),
            ("庐山南路", "莲花大道", "105国道"),
        ),
        # 柴桑区: the district seat 沙河 and 狮子, south-west of 八里湖.
        StreetArea(
            "360404001",
            "柴桑区",
            (Box(29.596, 29.624, 115.884, 115.920),),
            ("沙河大道", "东风路", "新华路", "柴桑大道"),
        ),
        StreetArea(
            "360404002",
            "柴桑区",
            (Box(29.626, 29.648, 115.880, 115.905),),
            ("狮子大道", "岷山路", "柴桑大道"),
        ),
    )
}


def river_bank_lat(lng: float) -> float:
    """Latitude of the Yangtze's south bank at `lng` (clamped to the ends of the polyline)."""
    points = RIVER_SOUTH_BANK
    if lng <= points[0][0]:
        return points[0][1]
    for (lng1, lat1), (lng2, lat2) in itertools.pairwise(points):
        if lng <= lng2:
            return lat1 + (lat2 - lat1) * (lng - lng1) / (lng2 - lng1)
    return points[-1][1]


def in_lake(lat: float, lng: float) -> bool:
    return any(box.contains(lat, lng) for box in LAKES.values())


def on_land(lat: float, lng: float) -> bool:
    """South of the river with a margin and outside every lake box."""
    return lat <= river_bank_lat(lng) - RIVER_MARGIN and not in_lake(lat, lng)


def point_in_street(rng: random.Random, street_code: str) -> tuple[float, float]:
    """A random land point in a street's built-up boxes, rounded to 6 decimals (~0.1 m)."""
    boxes = STREET_AREAS[street_code].boxes
    for _ in range(1000):
        box = rng.choice(boxes)
        lat = round(rng.uniform(box.south, box.north), 6)
        lng = round(rng.uniform(box.west, box.east), 6)
        if on_land(lat, lng):
            return lat, lng
    raise ValueError(f"No land found in street {street_code}; check its boxes.")
