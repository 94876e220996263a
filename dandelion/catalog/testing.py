"""A small service menu for tests (imported into test packages' conftest.py)."""

import pytest

from .services import category_upsert, item_create

__all__ = ["menu"]


@pytest.fixture
def menu(jiujiang):
    """Two categories: legal (mediation with a choice question, serving 浔阳区) and life
    (e-bike charging, needs a place, serving the whole city of Jiujiang)."""
    legal, _ = category_upsert(code="legal", name="法律服务", name_en="Legal services", icon="⚖")
    life, _ = category_upsert(
        code="life", name="生活服务", name_en="Life services", icon="🔌", sort_order=50
    )
    mediation = item_create(
        category=legal,
        code="labour_mediation",
        name="劳动争议调解",
        name_en="Labour-dispute mediation",
        description="欠薪、工伤等劳动争议",
        region=jiujiang["xunyang"],
        accept_hours=4,
        resolve_hours=48,
        questions=[
            {
                "key": "dispute",
                "label": "争议类型",
                "label_en": "Kind of dispute",
                "kind": "single",
                "required": True,
                "choices": [
                    {"value": "wages", "label": "拖欠工资", "label_en": "Unpaid wages"},
                    {"value": "injury", "label": "工伤", "label_en": "Work injury"},
                ],
            },
            {"key": "amount", "label": "涉及金额（元）", "kind": "number"},
            {"key": "since", "label": "开始日期", "kind": "date"},
            {
                "key": "platforms",
                "label": "涉及平台",
                "kind": "multiple",
                "choices": [
                    {"value": "meituan", "label": "美团"},
                    {"value": "eleme", "label": "饿了么"},
                ],
            },
        ],
    )
    charging = item_create(
        category=life,
        code="ebike_charging",
        name="电动车充电维修",
        name_en="E-bike charging and repair",
        region=jiujiang["city"],
        needs_location=True,
        accept_hours=2,
        resolve_hours=24,
    )
    return {"legal": legal, "life": life, "mediation": mediation, "charging": charging}
