"""The demo city's report categories, routing rules and sample snapshot reports (issue 5).
Deterministic per seed; running it again changes nothing.

- The nine categories of the programmes, offered across Jiujiang (360400).
- Organisations that handle them in 浔阳区 and their handler accounts (demo password):
  `urban_handler` (浔阳区城市管理局: everything by default), `market_handler` (浔阳区市场监督
  管理局: lifts), `fire_handler` (浔阳区消防救援大队: fire lanes and hazards),
  `community_handler` (甘棠社区居民委员会: garbage in 甘棠街道), `property_handler` (甘棠物业:
  lifts in 甘棠街道).
- An Open311 key for the 12345 citizen hotline, scoped to 浔阳区: `DEMO_OPEN311_KEY`.
- A dozen reports by demo workers in every kind of state, with photos drawn at load time.
"""

import hashlib
import io
import random
from collections import Counter
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from dandelion.accounts.models import RoleAssignment, User
from dandelion.accounts.services import role_assign
from dandelion.orgs.models import Membership, Organisation
from dandelion.orgs.services import membership_add, organisation_create
from dandelion.regions.models import Region
from dandelion.reports import services
from dandelion.reports.models import (
    ApiKey,
    CategoryAttribute,
    Report,
    ReportCategory,
    RoutingRule,
)

from .city import DEFAULT_SEED
from .people import DEMO_PASSWORD, PHONE_PREFIX

CITY = "360400"
DISTRICT = "360403"
STREET = "360403001"  # 甘棠街道
COMMUNITY = "360403001003"  # 甘棠社区
DEMO_OPEN311_KEY = "o311_demo_jiujiang_12345_hotline"

LIFT_QUESTIONS = [
    {
        "code": "floor",
        "description": "电梯停在哪一层？",
        "description_en": "Which floor is the lift stuck on?",
        "datatype": "number",
        "datatype_description": "填写楼层数字",
        "datatype_description_en": "Floor number",
        "required": False,
    },
    {
        "code": "trapped",
        "description": "有人被困吗？",
        "description_en": "Is anyone trapped?",
        "datatype": "singlevaluelist",
        "required": True,
        "values": [
            {"key": "yes", "name": "有人被困", "name_en": "Someone is trapped"},
            {"key": "no", "name": "无人被困", "name_en": "Nobody is trapped"},
        ],
    },
]
# (code, name, English, icon, group, keywords, extra questions)
CATEGORIES = (
    ("garbage", "暴露垃圾", "Open garbage", "🗑", "市容环境", "垃圾,满溢,乱倒", ()),
    ("manhole", "井盖破损", "Broken manhole cover", "⚠", "市政设施", "井盖,缺失,塌陷", ()),
    ("broken_lift", "电梯故障", "Broken lift", "🛗", "特种设备", "电梯,困人,停运", LIFT_QUESTIONS),
    ("road_damage", "道路破损", "Road damage", "🚧", "市政设施", "坑洼,路面,破损", ()),
    (
        "blocked_passage",
        "消防通道或通道堵塞",
        "Blocked fire lane or passage",
        "🚒",
        "公共安全",
        "消防通道,占道,堵塞",
        (),
    ),
    (
        "fire_hazard",
        "火灾或安全隐患",
        "Fire or safety hazard",
        "🔥",
        "公共安全",
        "隐患,电线,飞线充电",
        (),
    ),
    ("street_light", "路灯损坏", "Broken street light", "💡", "市政设施", "路灯,不亮", ()),
    ("illegal_ads", "违规广告", "Illegal advertising", "📛", "市容环境", "小广告,牛皮癣", ()),
    ("other", "其他问题", "Other", "📷", "其他", "", ()),
)
K = Organisation.Kind
# (name, kind, region code, handler username, handler display name)
ORGANISATIONS = (
    ("浔阳区城市管理局", K.GOVERNMENT_DEPARTMENT, DISTRICT, "urban_handler", "城管局经办人"),
    (
        "浔阳区市场监督管理局",
        K.GOVERNMENT_DEPARTMENT,
        DISTRICT,
        "market_handler",
        "市场监管局经办人",
    ),
    ("浔阳区消防救援大队", K.GOVERNMENT_DEPARTMENT, DISTRICT, "fire_handler", "消防大队经办人"),
    ("甘棠社区居民委员会", K.COMMUNITY, COMMUNITY, "community_handler", "甘棠社区经办人"),
    ("甘棠物业服务有限公司", K.PROPERTY_COMPANY, STREET, "property_handler", "物业公司经办人"),
)
# (region code, category code or None, organisation name)
RULES = (
    (DISTRICT, None, "浔阳区城市管理局"),
    (DISTRICT, "broken_lift", "浔阳区市场监督管理局"),
    (DISTRICT, "fire_hazard", "浔阳区消防救援大队"),
    (DISTRICT, "blocked_passage", "浔阳区消防救援大队"),
    (STREET, "garbage", "甘棠社区居民委员会"),
    (STREET, "broken_lift", "甘棠物业服务有限公司"),
)
# (worker number, category, street, description, address, statuses it went through, attrs)
SAMPLES = (
    (
        3,
        "garbage",
        "360403001",
        "小区门口垃圾桶满溢，周边散落很多垃圾，气味很大。",
        "甘棠北路8号",
        (),
        {},
    ),
    (
        5,
        "manhole",
        "360403001",
        "人行道上的井盖缺了一角，晚上骑车经过很危险。",
        "庾亮南路与甘棠路口",
        ("open", "action_scheduled"),
        {},
    ),
    (
        8,
        "broken_lift",
        "360403001",
        "3 号楼电梯停运两天了，送餐只能爬楼。",
        "烟水亭小区3号楼",
        ("open", "in_progress"),
        {"floor": "1", "trapped": "no"},
    ),
    (
        12,
        "road_damage",
        "360403002",
        "路面有个大坑，下雨积水看不见，电动车容易摔。",
        "湓浦路21号附近",
        ("open", "in_progress", "fixed"),
        {},
    ),
    (
        15,
        "blocked_passage",
        "360403003",
        "消防通道被私家车长期占用，救护车进不来。",
        "人民路小区东门",
        ("investigating",),
        {},
    ),
    (
        18,
        "fire_hazard",
        "360403003",
        "楼道里有人飞线给电动车充电，电线缠在一起。",
        "九华门社区5栋",
        ("open", "in_progress", "fixed", "closed"),
        {},
    ),
    (
        21,
        "street_light",
        "360403004",
        "这一段路灯全坏了，晚上一片黑。",
        "白水湖大道南段",
        ("open",),
        {},
    ),
    (
        24,
        "illegal_ads",
        "360403005",
        "电线杆上贴满了小广告。",
        "金鸡坡路口",
        ("no_further_action",),
        {},
    ),
    (
        27,
        "garbage",
        "360403001",
        "绿化带里有人倒了建筑垃圾。",
        "甘棠公园西侧",
        ("open", "fixed"),
        {},
    ),
    (30, "other", "360403091", "共享单车倒了一地，挡住了盲道。", "向阳路步行街", (), {}),
    (
        33,
        "garbage",
        "360403001",
        "门口垃圾还是没人清理，越堆越多。",
        "甘棠北路8号",
        ("duplicate",),
        {},
    ),
    (36, "road_damage", "360403006", "路边护栏倒了，伸到非机动车道上。", "八里湖大道", (), {}),
)
NOTES = {
    "open": "已受理，已派给处置单位。",
    "investigating": "正在现场核查。",
    "action_scheduled": "已安排维修，预计三天内完成。",
    "in_progress": "工作人员正在处置。",
    "fixed": "已处理完毕，请报告人确认。",
    "closed": "报告人确认已修复，办结。",
    "no_further_action": "经核查已由街道统一清理，无需另行处置。",
}
COLORS = {
    "garbage": (120, 98, 60),
    "manhole": (110, 110, 110),
    "broken_lift": (150, 160, 175),
    "road_damage": (90, 90, 85),
    "blocked_passage": (200, 60, 50),
    "fire_hazard": (230, 120, 30),
    "street_light": (40, 50, 80),
    "illegal_ads": (220, 220, 200),
    "other": (90, 140, 110),
}


def _photo(category: str, rng: random.Random) -> ContentFile:
    """A simple picture drawn for the demo: a coloured scene with a few shapes."""
    base = COLORS[category]
    image = Image.new("RGB", (960, 720), (200, 210, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 430, 960, 720), fill=tuple(max(0, c - 40) for c in base))
    for _ in range(9):
        x, y = rng.randint(40, 900), rng.randint(300, 660)
        size = rng.randint(30, 110)
        shade = tuple(min(255, max(0, c + rng.randint(-50, 50))) for c in base)
        draw.ellipse((x, y, x + size, y + size * 0.7), fill=shade, outline=(30, 30, 30))
    draw.rectangle((24, 24, 260, 76), fill=(255, 255, 255))
    draw.text((36, 40), f"DEMO {category}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{category}.jpg")


def _staff(username: str, name: str, password: str, created: Counter) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=name, is_staff=True, password=password)
        user.save()
        created["staff"] += 1
    return user


def _organisations(regions: dict, created: Counter) -> dict[str, Organisation]:
    password = make_password(DEMO_PASSWORD)
    orgs = {}
    for name, kind, code, username, display in ORGANISATIONS:
        org = Organisation.objects.filter(name=name, kind=kind, region=regions[code]).first()
        if org is None:
            org = organisation_create(name=name, kind=kind, region=regions[code])
            created["organisation"] += 1
        orgs[name] = org
        user = _staff(username, display, password, created)
        if not RoleAssignment.objects.filter(
            user=user, role="department_handler", organisation=org
        ).exists():
            role_assign(user=user, role="department_handler", organisation=org)
            created["role"] += 1
        if not Membership.objects.filter(organisation=org, user=user).exists():
            membership_add(organisation=org, user=user, role=Membership.Role.HANDLER)
    return orgs


def _questions_in_english(category: ReportCategory, questions) -> None:
    """A category loaded before its questions had English gets it (nothing else changes)."""
    for spec in questions:
        if not spec.get("description_en"):
            continue
        CategoryAttribute.objects.filter(
            category=category, code=spec["code"], description_en=""
        ).update(
            description_en=spec["description_en"],
            datatype_description_en=spec.get("datatype_description_en", ""),
            values=spec.get("values", []),
        )


def _categories(city: Region, created: Counter) -> dict[str, ReportCategory]:
    existing = {c.code: c for c in ReportCategory.objects.filter(city_code=CITY)}
    for order, (code, name, name_en, icon, group, keywords, questions) in enumerate(CATEGORIES):
        if code in existing:
            _questions_in_english(existing[code], questions)
            continue
        existing[code], _ = services.category_upsert(
            region=city,
            code=code,
            name=name,
            name_en=name_en,
            icon=icon,
            group=group,
            keywords=keywords,
            description=f"{name}（{group}）",
            order=(order + 1) * 10,
            attributes=list(questions),
        )
        created["category"] += 1
    return existing


def _rules(regions, categories, orgs, created: Counter) -> None:
    for code, category_code, org_name in RULES:
        category = categories[category_code] if category_code else None
        if not RoutingRule.objects.filter(region=regions[code], category=category).exists():
            services.routing_rule_set(
                region=regions[code], category=category, organisation=orgs[org_name]
            )
            created["routing_rule"] += 1


def _api_key(regions, created: Counter) -> None:
    digest = hashlib.sha256(DEMO_OPEN311_KEY.encode()).hexdigest()
    if not ApiKey.objects.filter(key_hash=digest).exists():
        services.api_key_issue(
            name="12345 市民服务热线", region=regions[DISTRICT], raw=DEMO_OPEN311_KEY
        )
        created["open311_key"] += 1


def _samples(seed: int, regions, created: Counter) -> None:
    rng = random.Random(f"reports:{seed}")
    dispatcher = User.objects.filter(username="dispatcher").first()
    workers = {u.phone: u for u in User.objects.filter(phone__startswith=PHONE_PREFIX)}
    now = timezone.now().replace(microsecond=0)
    made: dict[int, Report] = {}
    for index, (number, category, street, text, address, moves, answers) in enumerate(SAMPLES):
        # Drawn every time so the points stay a function of the seed, whatever exists already.
        dlat, dlng = rng.uniform(-0.004, 0.004), rng.uniform(-0.004, 0.004)
        reporter = workers.get(f"{PHONE_PREFIX}{number:04d}")
        if reporter is None or dispatcher is None:
            continue
        existing = Report.objects.filter(reporter=reporter, description=text).first()
        if existing is not None:
            made[index] = existing
            continue
        region = regions[street]
        when = now - timedelta(days=len(SAMPLES) - index, hours=rng.randint(1, 9))
        report = services.report_create(
            reporter=reporter,
            category_code=category,
            lat=round(region.center_lat + dlat, 6),
            lng=round(region.center_lng + dlng, 6),
            description=text,
            address=address,
            photos=[_photo(category, rng) for _ in range(1 + index % 2)],
            attributes=dict(answers),
            now=when,
        )
        created["report"] += 1
        for step, status in enumerate(moves, start=1):
            moment = when + timedelta(hours=6 * step)
            if status == "duplicate":
                services.report_mark_duplicate(
                    report_id=report.pk, original_id=made[0].pk, actor=dispatcher, now=moment
                )
            elif status == "closed":
                services.report_confirm_fixed(
                    report_id=report.pk, user=reporter, note=NOTES["closed"], now=moment
                )
            else:
                services.report_status_change(
                    report_id=report.pk,
                    actor=dispatcher,
                    status=status,
                    note=NOTES[status],
                    now=moment,
                )
        made[index] = report
    # A neighbour saw the first one too.
    supporter = workers.get(f"{PHONE_PREFIX}0040")
    if (
        supporter is not None
        and 0 in made
        and services.report_support(report_id=made[0].pk, user=supporter)[1]
    ):
        created["supporter"] += 1


@transaction.atomic
def demo_reports_load(*, seed: int = DEFAULT_SEED) -> Counter:
    """Create what is missing and return how many rows of each kind were created."""
    created: Counter = Counter()
    regions = {r.code: r for r in Region.objects.filter(code__startswith="3604")}
    if CITY not in regions or DISTRICT not in regions:
        return created
    categories = _categories(regions[CITY], created)
    orgs = _organisations(regions, created)
    _rules(regions, categories, orgs, created)
    _api_key(regions, created)
    _samples(seed, regions, created)
    return created
