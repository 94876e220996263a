"""The demo city's service menu, routing rules, sample needs, a micro-wish, a consultation.
Deterministic per seed; running it again changes nothing.

The menu is the one the programmes describe: 6 categories and 17 items, managed and served by
浔阳区. Legal, health, employment, hardship and housing items are routed by rule to district
departments, each with a handler account (`justice_handler`, `health_handler`, `housing_handler`,
`union_handler`, and the existing `hr_handler`); the rest wait in the dispatcher's queue.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dandelion.accounts.models import RoleAssignment, User
from dandelion.accounts.services import role_assign
from dandelion.catalog.models import ServiceItem
from dandelion.catalog.services import category_upsert, item_create
from dandelion.needs import services as needs
from dandelion.needs.models import MicroWish, Need, Problem, RoutingRule
from dandelion.orgs.models import Organisation
from dandelion.orgs.services import organisation_create
from dandelion.regions.models import Region

from .city import DEFAULT_SEED
from .people import DEMO_PASSWORD, DISTRICT_CODE, HR_OFFICE, PHONE_PREFIX

JUSTICE = "浔阳区司法局"
HEALTH = "浔阳区卫生健康委员会"
HOUSING = "浔阳区住房和城乡建设局"
UNION = "浔阳区总工会"

# (username, display name, department)
HANDLERS = (
    ("justice_handler", "司法局经办人", JUSTICE),
    ("health_handler", "卫健委经办人", HEALTH),
    ("housing_handler", "住建局经办人", HOUSING),
    ("union_handler", "总工会经办人", UNION),
)

DISPUTE = {
    "key": "dispute",
    "label": "争议类型",
    "label_en": "Kind of dispute",
    "kind": "single",
    "required": True,
    "choices": [
        {"value": "wages", "label": "拖欠工资", "label_en": "Unpaid wages"},
        {"value": "injury", "label": "工伤", "label_en": "Work injury"},
        {"value": "dismissal", "label": "解除合作", "label_en": "Dismissal"},
        {"value": "other", "label": "其他", "label_en": "Other"},
    ],
}
PLATFORM = {
    "key": "platform",
    "label": "涉及平台",
    "label_en": "Platforms involved",
    "kind": "multiple",
    "choices": [
        {"value": "meituan", "label": "美团", "label_en": "Meituan"},
        {"value": "eleme", "label": "饿了么", "label_en": "Ele.me"},
        {"value": "express", "label": "快递公司", "label_en": "A courier company"},
        {"value": "other", "label": "其他", "label_en": "Other"},
    ],
}

# The items' descriptions in English, by item code (the menu's English readers see these).
DESCRIPTIONS_EN = {
    "labour_mediation": "Unpaid wages, work injuries, ended contracts: mediation in one place.",
    "legal_consultation": "Lawyers answer legal questions for free.",
    "platform_rights": "Algorithms, fines, dispatch rules and other rights issues.",
    "health_check": "A free health check every year; book a time and place.",
    "counselling": "One-to-one support from a professional counsellor.",
    "first_aid_training": "CPR, stopping bleeding, bandaging and other first-aid skills.",
    "job_matching": "Suitable jobs and job fairs recommended to you.",
    "skills_training": "Free vocational training and certificates.",
    "insurance_advice": "Advice on insurance, occupational-injury cover and claims.",
    "holiday_childcare": "Holiday day care for your children in winter and summer.",
    "hardship_aid": "Help and relief when you meet serious hardship.",
    "ebike_charging": "Places to charge, swap and repair batteries and e-bikes.",
    "compound_access": "Riders kept out of a residential compound, unable to deliver to the door.",
    "rest_and_meals": "Places to rest, heat a meal and get water.",
    "accident_help": "Help handling an accident and its insurance claim.",
    "housing_rental": "Renting, flats and difficulties finding somewhere to stay.",
    "suggestion": "Comments and suggestions about the stations and services.",
}

# category code, name, English, icon, [(item code, name, English, description, department,
# accept hours, resolve hours, needs location, questions)]
MENU = (
    (
        "legal",
        "法律服务",
        "Legal services",
        "⚖",
        (
            (
                "labour_mediation",
                "劳动争议调解",
                "Labour-dispute mediation",
                "欠薪、工伤、解除合作等争议，一站式调解。",
                JUSTICE,
                8,
                120,
                False,
                (
                    DISPUTE,
                    PLATFORM,
                    {
                        "key": "amount",
                        "label": "涉及金额（元）",
                        "label_en": "Amount involved (yuan)",
                        "kind": "number",
                    },
                ),
            ),
            (
                "legal_consultation",
                "法律咨询",
                "Legal consultation",
                "律师免费解答法律问题。",
                JUSTICE,
                24,
                72,
                False,
                (),
            ),
            (
                "platform_rights",
                "平台劳动者权益保障",
                "Rights protection for platform workers",
                "算法、罚款、派单规则等权益问题。",
                JUSTICE,
                24,
                168,
                False,
                (PLATFORM,),
            ),
        ),
    ),
    (
        "health",
        "医疗健康",
        "Medical and health",
        "🩺",
        (
            (
                "health_check",
                "免费健康体检",
                "Free health check",
                "每年一次免费体检，预约时间地点。",
                HEALTH,
                24,
                168,
                False,
                (
                    {
                        "key": "preferred_date",
                        "label": "希望体检日期",
                        "label_en": "Preferred date",
                        "kind": "date",
                    },
                ),
            ),
            (
                "counselling",
                "心理疏导",
                "Psychological counselling",
                "专业心理咨询师一对一疏导。",
                HEALTH,
                12,
                72,
                False,
                (),
            ),
            (
                "first_aid_training",
                "急救培训",
                "First-aid training",
                "心肺复苏、止血包扎等急救技能。",
                HEALTH,
                48,
                336,
                False,
                (
                    {
                        "key": "people",
                        "label": "参加人数",
                        "label_en": "Number of people",
                        "kind": "number",
                    },
                ),
            ),
        ),
    ),
    (
        "employment",
        "就业技能",
        "Employment and skills",
        "💼",
        (
            (
                "job_matching",
                "就业推荐",
                "Job matching",
                "推荐合适的岗位和招聘会。",
                HR_OFFICE,
                24,
                168,
                False,
                (),
            ),
            (
                "skills_training",
                "技能培训",
                "Skills training",
                "免费职业技能培训和证书。",
                HR_OFFICE,
                48,
                336,
                False,
                (
                    {
                        "key": "course",
                        "label": "想学的技能",
                        "label_en": "Skill to learn",
                        "kind": "text",
                    },
                ),
            ),
            (
                "insurance_advice",
                "社保和职业伤害保障咨询",
                "Social-insurance and injury-insurance advice",
                "参保、职业伤害保障和理赔咨询。",
                HR_OFFICE,
                24,
                72,
                False,
                (),
            ),
        ),
    ),
    (
        "family",
        "家庭关爱",
        "Family and caring help",
        "🏠",
        (
            (
                "holiday_childcare",
                "假期托管",
                "Childcare in school holidays",
                "寒暑假子女托管班。",
                None,
                24,
                168,
                False,
                (
                    {
                        "key": "children",
                        "label": "孩子人数",
                        "label_en": "Number of children",
                        "kind": "number",
                        "required": True,
                    },
                ),
            ),
            (
                "hardship_aid",
                "困难帮扶",
                "Hardship assistance",
                "遇到重大困难时的帮扶救助。",
                UNION,
                24,
                168,
                False,
                (),
            ),
        ),
    ),
    (
        "life",
        "生活服务",
        "Life services",
        "🔌",
        (
            (
                "ebike_charging",
                "电动车充电维修",
                "E-bike charging and repair",
                "充电、换电和维修点位。",
                HOUSING,
                4,
                48,
                True,
                (),
            ),
            (
                "compound_access",
                "小区进出难",
                "Residential-compound access problems",
                "骑手进不了小区、送不到门。",
                HOUSING,
                12,
                120,
                True,
                (),
            ),
            (
                "rest_and_meals",
                "歇脚就餐",
                "Places to rest and eat",
                "找歇脚、热饭、喝水的地方。",
                None,
                4,
                24,
                True,
                (),
            ),
        ),
    ),
    (
        "other",
        "其他",
        "Others",
        "✳",
        (
            (
                "accident_help",
                "交通事故协助",
                "Help after a traffic accident",
                "事故处理和理赔协助。",
                None,
                2,
                72,
                True,
                (),
            ),
            (
                "housing_rental",
                "租房住宿咨询",
                "Rental and housing advice",
                "租房、公寓和住宿困难。",
                None,
                24,
                168,
                False,
                (),
            ),
            (
                "suggestion",
                "意见建议",
                "Suggestions",
                "对驿站和服务的意见建议。",
                None,
                48,
                168,
                False,
                (),
            ),
        ),
    ),
)

# (client token, worker index, item code, description, answers, stage)
SAMPLE_NEEDS = (
    (
        "demo-need-1",
        1,
        "labour_mediation",
        "站点拖欠我两个月工资，共 6800 元。",
        {"dispute": "wages", "platform": ["meituan"], "amount": 6800},
        "closed_good",
    ),
    ("demo-need-2", 1, "ebike_charging", "甘棠北路的充电柜坏了三天了。", {}, "in_progress"),
    (
        "demo-need-3",
        3,
        "holiday_childcare",
        "暑假孩子没人带，想报托管班。",
        {"children": 1},
        "submitted",
    ),
    (
        "demo-need-4",
        4,
        "health_check",
        "想预约免费体检。",
        {"preferred_date": "2026-07-15"},
        "accepted",
    ),
    ("demo-need-5", 4, "compound_access", "滨江花园小区保安不让骑手进。", {}, "closed_poor"),
    ("demo-need-6", 5, "job_matching", "想换个白天的工作。", {}, "dispatched"),
)


class _Loader:
    def __init__(self) -> None:
        self.created: Counter = Counter()
        self.district = Region.objects.get(code=DISTRICT_CODE)
        self._password = None

    def department(self, name: str) -> Organisation:
        org = Organisation.objects.filter(
            name=name, kind=Organisation.Kind.GOVERNMENT_DEPARTMENT, region=self.district
        ).first()
        if org is None:
            org = organisation_create(
                name=name, kind=Organisation.Kind.GOVERNMENT_DEPARTMENT, region=self.district
            )
            self.created["department"] += 1
        return org

    def handler(self, username: str, name: str, org: Organisation) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            self._password = self._password or make_password(DEMO_PASSWORD)
            user = User(
                username=username, display_name=name, is_staff=True, password=self._password
            )
            user.save()
            self.created["staff"] += 1
        if not RoleAssignment.objects.filter(
            user=user, role="department_handler", organisation=org
        ).exists():
            role_assign(user=user, role="department_handler", organisation=org)
            self.created["role"] += 1
        return user


def _menu(loader: _Loader, departments: dict[str, Organisation]) -> dict[str, ServiceItem]:
    items = {}
    for order, (code, name, name_en, icon, rows) in enumerate(MENU, start=1):
        category, created = category_upsert(
            code=code, name=name, name_en=name_en, icon=icon, sort_order=order * 10
        )
        loader.created["category"] += int(created)
        for position, (
            item_code,
            item_name,
            item_en,
            description,
            dept,
            accept,
            resolve,
            place,
            questions,
        ) in enumerate(rows, start=1):
            item = ServiceItem.objects.filter(code=item_code).first()
            if item is None:
                item = item_create(
                    category=category,
                    code=item_code,
                    name=item_name,
                    name_en=item_en,
                    description=description,
                    description_en=DESCRIPTIONS_EN.get(item_code, ""),
                    region=loader.district,
                    accept_hours=accept,
                    resolve_hours=resolve,
                    needs_location=place,
                    sort_order=position,
                    providers=[departments[dept]] if dept else [],
                    questions=questions,
                )
                loader.created["item"] += 1
            elif not item.description_en and DESCRIPTIONS_EN.get(item_code):
                # A menu loaded before the English descriptions existed gets them.
                item.description_en = DESCRIPTIONS_EN[item_code]
                item.save(update_fields=["description_en"])
            items[item_code] = item
            if dept and not RoutingRule.objects.filter(item=item, region=loader.district).exists():
                needs.routing_rule_set(
                    item=item, region=loader.district, department=departments[dept]
                )
                loader.created["routing rule"] += 1
    return items


def _district_workers() -> list[User]:
    """Demo workers who work in the district, in phone order (deterministic per seed)."""
    return list(
        User.objects.filter(
            phone__startswith=PHONE_PREFIX,
            worker_profile__work_region__code__startswith=DISTRICT_CODE,
            worker_profile__consent_withdrawn_at__isnull=True,
        )
        .select_related("worker_profile__work_region")
        .order_by("phone")[:10]
    )


def _sample_needs(loader: _Loader, items, departments, dispatcher, handlers, workers) -> None:
    now = timezone.now()
    for token, worker_index, item_code, text, answers, stage in SAMPLE_NEEDS:
        if worker_index >= len(workers):
            continue
        worker = workers[worker_index]
        start = now - timedelta(days=3)
        need, created = needs.need_submit(
            worker=worker,
            item=items[item_code],
            description=text,
            answers=answers,
            address="九江市浔阳区甘棠北路" if items[item_code].needs_location else "",
            client_token=token,
            now=start,
        )
        if not created:
            continue
        loader.created["need"] += 1
        if stage == "submitted":
            continue
        need = Need.objects.select_related("department").get(pk=need.pk)
        if need.state == Need.State.SUBMITTED:
            needs.need_dispatch(
                need=need, actor=dispatcher, department=departments[HR_OFFICE], now=start
            )
            need.refresh_from_db()
        if stage == "dispatched":
            continue
        handler = handlers[need.department.name]
        needs.need_accept(
            need=need, actor=handler, note="已受理，马上联系你", now=start + timedelta(hours=2)
        )
        if stage == "accepted":
            continue
        needs.need_start(need=need, actor=handler, now=start + timedelta(hours=3))
        if stage == "in_progress":
            continue
        needs.need_resolve(
            need=need, actor=handler, note="已协调处理完毕。", now=start + timedelta(days=1)
        )
        stars = 5 if stage == "closed_good" else 2
        needs.need_rate(
            need=need,
            actor=worker,
            stars=stars,
            tags=["响应及时"] if stars == 5 else ["还需改进"],
            comment="",
            now=start + timedelta(days=2),
        )


def _wish(loader: _Loader, workers) -> None:
    if len(workers) < 8:
        return
    worker = workers[7]
    title = "孩子想要一套新的学习用品"
    if not MicroWish.objects.filter(worker=worker, title=title).exists():
        needs.wish_create(
            worker=worker, title=title, description="开学了，想给上小学的孩子买一套文具和书包。"
        )
        loader.created["micro-wish"] += 1


def _problem(loader: _Loader, dispatcher, departments) -> None:
    title = "骑手进小区难"
    if Problem.objects.filter(title=title, region=loader.district).exists():
        return
    related = list(Need.objects.filter(client_token="demo-need-5").values_list("pk", flat=True))
    problem = needs.problem_create(
        actor=dispatcher,
        title=title,
        region=loader.district,
        description="多个小区不让外卖骑手和快递员进入，只能在门口等候，耽误配送。",
        need_ids=related,
    )
    needs.consultation_record(
        problem=problem,
        actor=dispatcher,
        held_on=timezone.localdate() - timedelta(days=1),
        department_ids=[
            departments[HOUSING].pk,
            departments[JUSTICE].pk,
            departments[HR_OFFICE].pk,
        ],
        attendees="住建局、司法局、人社局、物业公司代表",
        decisions="住建局牵头，两周内在辖区 20 个小区设立骑手绿色通道和友好配送路线图。",
        owner_id=departments[HOUSING].pk,
    )
    loader.created["problem"] += 1
    loader.created["consultation"] += 1


def demo_needs_load(*, seed: int = DEFAULT_SEED) -> Counter:
    """Create what is missing and return how many rows of each kind were created."""
    if not Region.objects.filter(code=DISTRICT_CODE).exists():
        return Counter()
    loader = _Loader()
    with transaction.atomic():
        departments = {name: loader.department(name) for name in (JUSTICE, HEALTH, HOUSING, UNION)}
        departments[HR_OFFICE] = loader.department(HR_OFFICE)
        handlers = {
            dept: loader.handler(username, name, departments[dept])
            for username, name, dept in HANDLERS
        }
        hr = User.objects.filter(username="hr_handler").first()
        if hr is not None:
            handlers[HR_OFFICE] = hr
        items = _menu(loader, departments)
        dispatcher = User.objects.filter(username="dispatcher").first()
        if dispatcher is not None and HR_OFFICE in handlers:
            workers = _district_workers()
            _sample_needs(loader, items, departments, dispatcher, handlers, workers)
            _wish(loader, workers)
            _problem(loader, dispatcher, departments)
    return loader.created
