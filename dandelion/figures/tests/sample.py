"""A `FiguresOut` built by hand, for the page, export, brief and open-data tests that check
what is done with the figures rather than how they are counted."""

from datetime import date

from dandelion.figures.schemas import FiguresOut


def breakdown(*pairs):
    return [{"key": key, "label": label, "value": value} for key, label, value in pairs]


def headline(scale: int = 1, **overrides) -> dict:
    values = {
        "stations": 3 * scale,
        "workers_registered": 40 * scale,
        "visits": 120 * scale,
        "needs_submitted": 9 * scale,
        "needs_resolved": 7 * scale,
        "reports_submitted": 11 * scale,
        "reports_fixed": 6 * scale,
        "volunteer_hours": 12.5 * scale,
        "points_issued": 300 * scale,
        "redemptions": 4 * scale,
    }
    values.update(overrides)
    return values


def sample_figures(
    *,
    code: str = "360403",
    name: str = "浔阳区",
    level: str = "district",
    date_from: date = date(2026, 11, 1),
    date_to: date = date(2026, 11, 30),
    scale: int = 1,
    children: list[tuple[str, str, str, dict]] | None = None,
    **sections,
) -> FiguresOut:
    if children is None:
        children = [
            ("360403001", "湓浦街道", "street", headline(scale)),
            ("360403002", "人民路街道", "street", headline(scale * 2, volunteer_hours=3.0)),
        ]
    data = {
        "region": {"code": code, "name": name},
        "level": level,
        "date_from": date_from,
        "date_to": date_to,
        "time_zone": "Asia/Shanghai",
        "stations": {
            "total": 183 * scale,
            "by_kind": breakdown(("comprehensive", "综合站", 100), ("specialized", "专业站", 83)),
            "by_origin": breakdown(("renovated", "改建", 150), ("new", "新建", 33)),
            "open_24h": 12,
            "by_stars": None,
        },
        "partners": {"total": 68, "by_kind": breakdown(("merchant", "爱心商铺", 68))},
        "workers": {
            "registered": 34000 * scale,
            "registered_in_period": 120 * scale,
            "by_occupation": breakdown(("rider", "外卖骑手", 20000), ("courier", "快递员", 14000)),
        },
        "visits": {"count": 5200 * scale, "workers": 810 * scale},
        "needs": {
            "submitted": 150 * scale,
            "resolved": 140 * scale,
            "resolved_on_time": 130 * scale,
            "rating_avg": 4.6,
            "ratings": 90,
            "by_item": breakdown(("legal", "法律咨询", 50), ("health", "健康体检", 100)),
        },
        "wishes": {"posted": 100, "fulfilled": 90},
        "problems": {"raised": 18 * scale, "solved": 17 * scale},
        "reports": {
            "submitted": 584 * scale,
            "by_status": breakdown(("open", "已受理", 84), ("closed", "已办结", 500)),
            "fixed": 500,
            "median_hours_to_fix": 30.5,
            "by_category": breakdown(
                ("parking", "乱停车", 200 * scale),
                ("manhole", "井盖破损", 84 * scale),
                ("garbage", "垃圾暴露", 300 * scale),
                ("lift", "电梯故障", 0),
            ),
        },
        "volunteering": {"teams": 810, "volunteers": 19600, "activities": 1200, "hours": 37000.0},
        "points": {"issued": 9000, "redeemed": 4100, "redemptions": 41},
        "party": {"members_identified": 1416, "reregistered": 274, "branches": 69},
        "station_services": None,
        "by_region": [
            {"region": {"code": c, "name": n}, "level": lv, **values}
            for c, n, lv, values in children
        ],
        "series": [
            {
                "month": date_from.strftime("%Y-%m"),
                "date_from": date_from,
                "date_to": date_to,
                **headline(scale * 3),
            }
        ],
    }
    data.update(sections)
    return FiguresOut.model_validate(data)
