"""The platform's default station standard (驿站星级评定标准), published as version 1 with no
region: 8 first-level and 21 second-level indicators worth 100 points, plus a 5-point
innovation bonus item; thresholds 60/70/80/88/95; five stars need at least 30 m², an AED and
at least one extended service held; two veto rules. Adds the AED to the amenity catalogue,
which the five-star prerequisite names. Reversing removes the standard (not the amenity, which
stations may have been given)."""

from django.db import migrations
from django.utils import timezone

BASIC_SET = ["drinking_water", "hot_water", "microwave", "first_aid", "rest_seats", "air_conditioning"]

# (code, name, name_en, [(code, name, name_en, points, guide, evidence, measure, params)])
GROUPS = [
    ("A", "场地与标识", "Site and signage", [
        ("A1", "面积与座位", "Area and seats", 6, "面积达到 30 平方米得满分，按比例计分。", False,
         "area", {"full_at": 30}),
        ("A2", "统一标识", "Unified signage", 4, "门头、指引牌使用统一标识，清晰醒目。", True, "", {}),
        ("A3", "选址便利", "Convenient siting", 5, "临街、便于停车，位于劳动者聚集区域。", False, "", {}),
    ]),
    ("B", "设施配置", "Facilities", [
        ("B1", "基础设施", "Basic facilities", 10,
         "饮水、热水、微波炉、急救药箱、休息座椅、空调，按具备项数计分。", False,
         "amenities", {"amenities": BASIC_SET}),
        ("B2", "充电设施", "Charging", 5, "提供手机充电、电动车充电或换电。", False,
         "amenities", {"amenities": ["phone_charging", "ebike_charging", "battery_swap"], "any": True}),
        ("B3", "安全设施", "Safety kit and AED", 5, "配备急救药箱和 AED（自动体外除颤器）。", True,
         "amenities", {"amenities": ["first_aid", "aed"]}),
    ]),
    ("C", "开放与管理", "Opening and management", [
        ("C1", "开放时长", "Opening hours", 7, "每周开放 84 小时得满分，按比例计分。", False,
         "weekly_hours", {"full_at": 84}),
        ("C2", "24小时开放", "Open 24 hours", 4, "全天候开放得满分。", False, "open_24h", {}),
        ("C3", "专人管理与制度台账", "Named keeper, rules and log", 4,
         "有专人管理，制度上墙，台账完整。", True, "", {}),
    ]),
    ("D", "服务内容", "Service menu", [
        ("D1", "基础服务", "Basic services", 5, "歇脚、饮水、加热、充电、如厕等基础服务落实。", False, "", {}),
        ("D2", "拓展服务", "Extended services", 6,
         "法律咨询、健康义诊、心理疏导等拓展服务，近半年开展 6 场得满分。", True,
         "services_held", {"full_at": 6, "months": 6, "kinds": ["health_check", "legal", "counselling"]}),
        ("D3", "诉求收集", "Intake of needs", 4, "设有诉求收集渠道并及时转办。", False, "", {}),
    ]),
    ("E", "数字化", "Digital", [
        ("E1", "上图展示", "On the map", 3, "驿站信息在地图上完整展示。", False, "", {}),
        ("E2", "报到登记", "Registration", 3, "引导新就业形态劳动者线上报到。", False, "", {}),
        ("E3", "数据鲜活度", "Data freshness", 4, "90 天内核实过信息得满分，超过 365 天不得分。", False,
         "facts_freshness", {"full_within_days": 90, "zero_after_days": 365}),
    ]),
    ("F", "服务成效", "Outcomes", [
        ("F1", "月均打卡", "Visits per month", 5, "近三个月月均打卡 300 人次得满分，按比例计分。", False,
         "visits_per_month", {"full_at": 300, "months": 3}),
        ("F2", "诉求按时办结", "Needs resolved on time", 5, "驿站周边诉求按时办结率，按比例计分。", False,
         "needs_on_time", {"months": 6, "radius_m": 500}),
    ]),
    ("G", "满意度", "Satisfaction", [
        ("G1", "服务评价", "Ratings", 5, "平均评价 5 星得满分，1 星不得分。", False,
         "average_rating", {"months": 6, "radius_m": 500}),
        ("G2", "投诉整改", "Complaints fixed", 5, "针对驿站的投诉整改率，按比例计分。", False,
         "complaints_fixed", {"months": 6, "radius_m": 100}),
    ]),
    ("H", "共建共享", "Co-building", [
        ("H1", "共建单位", "Partners", 3, "有共建单位参与运营或提供服务。", True, "", {}),
        ("H2", "志愿服务", "Volunteering", 2, "组织劳动者参与志愿服务。", False, "", {}),
    ]),
]
BONUS = ("H9", "创新加分", "Innovation bonus", 5, "特色做法、创新服务，最多加 5 分。", True, "", {})
THRESHOLDS = [(1, 60), (2, 70), (3, 80), (4, 88), (5, 95)]


def load(apps, schema_editor):
    Amenity = apps.get_model("stations", "Amenity")
    Standard = apps.get_model("standards", "Standard")
    IndicatorGroup = apps.get_model("standards", "IndicatorGroup")
    Indicator = apps.get_model("standards", "Indicator")
    StarLevel = apps.get_model("standards", "StarLevel")
    VetoRule = apps.get_model("standards", "VetoRule")

    Amenity.objects.get_or_create(
        code="aed",
        defaults={"name_zh": "AED 除颤器", "name_en": "AED defibrillator", "icon": "❤️", "sort_order": 95},
    )
    if Standard.objects.filter(region__isnull=True).exists():
        return
    now = timezone.now()
    standard = Standard.objects.create(
        region=None,
        name="驿站星级评定标准",
        version=1,
        status="published",
        bonus_points=5,
        created_at=now,
        published_at=now,
    )
    for group_order, (code, name, name_en, indicators) in enumerate(GROUPS):
        group = IndicatorGroup.objects.create(
            standard=standard, code=code, name=name, name_en=name_en, order=group_order
        )
        rows = indicators + ([BONUS] if code == "H" else [])
        for order, (i_code, i_name, i_en, points, guide, evidence, measure, params) in enumerate(rows):
            Indicator.objects.create(
                group=group,
                code=i_code,
                name=i_name,
                name_en=i_en,
                max_points=points,
                guide=guide,
                evidence_required=evidence,
                is_bonus=i_code == BONUS[0],
                measure=measure,
                measure_params=params,
                order=order,
            )
    for stars, points in THRESHOLDS:
        StarLevel.objects.create(
            standard=standard,
            stars=stars,
            min_points=points,
            min_area_m2=30 if stars == 5 else None,
            required_amenities=["aed"] if stars == 5 else [],
            required_indicators=["D2"] if stars == 5 else [],
        )
    VetoRule.objects.create(standard=standard, kind="unfixed_complaint", days=30, count=1, effect="lose_star")
    VetoRule.objects.create(standard=standard, kind="missed_opening", days=90, count=3, effect="delist")


def unload(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    Assessment = apps.get_model("standards", "Assessment")
    for standard in Standard.objects.filter(region__isnull=True, version=1):
        if not Assessment.objects.filter(standard=standard).exists():
            standard.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0001_initial"),
        ("stations", "0002_seed_amenity_catalogue"),
    ]

    operations = [migrations.RunPython(load, unload)]
