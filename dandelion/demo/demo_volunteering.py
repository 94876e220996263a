"""The demo city's activities, earning rules, rewards and a starting ledger (issue 6).
Deterministic per seed; running it again changes nothing.

- Earning rules for 浔阳区 (360403) and a funded issuing account, so awards work at once.
- Each demo volunteer team runs one finished activity (with confirmed hours, which earned its
  volunteers points) and two upcoming ones at the district's stations, open for sign-up.
- A rewards catalogue at the two managed stations and at caring merchants, with their
  provider accounts; a few workers have visited stations and hold an unclaimed code.

Past activities and sign-ups are written directly (the services refuse to publish or sign up
for what has already started); everything that moves points goes through the ledger service
with the same keys the live event handlers use, so a later delivery awards nothing twice.
"""

import random
from collections import Counter
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dandelion.accounts.models import User, WorkerProfile
from dandelion.orgs.models import Organisation
from dandelion.points.models import Account, EarningRule, Redemption, Reward
from dandelion.points.services import (
    award_by_rule,
    issuer_fund,
    provider_account,
    reward_redeem,
)
from dandelion.regions.models import Region
from dandelion.stations.models import PartnerPlace, Station, StationVisit
from dandelion.stations.services import visit_record
from dandelion.volunteering.models import Activity, ActivityEvent, SignUp
from dandelion.volunteering.services import (
    activity_create,
    activity_publish,
    attendance_confirm,
    attendance_record,
)

from .city import DEFAULT_SEED
from .people import DISTRICT_CODE, TEAM_LEADER, TEAMS, district_stations

FUNDING = 200_000
# (event, points, daily cap, monthly cap)
RULES = (
    ("station_visit", 5, 5, 100),
    ("report_accepted", 20, 60, 400),
    ("volunteer_hour", 10, 80, 800),
    ("training_attended", 15, None, 60),
    ("need_rated", 2, 6, 60),
)
# (title, description, skills, hours, capacity)
ACTIVITIES = (
    ("驿站清洁日", "打扫驿站、整理书报、检查急救箱。", [], 3, 8),
    ("文明交通劝导", "在路口劝导骑手不闯红灯、不逆行。", [], 2, 10),
    ("助老送餐", "为社区独居老人送午餐，顺路陪聊。", [], 2, 6),
    ("急救知识课堂", "由持证志愿者讲解心肺复苏与止血包扎。", ["急救"], 2, 20),
    ("电动车义务检修", "为骑手检查刹车、灯光和电池线路。", ["维修电动车"], 3, 5),
    ("随手拍巡查", "沿街巡查井盖、路灯、占道，随手拍上报。", [], 2, 12),
)
# (title, kind, price, stock, per-person limit, description)
STATION_REWARDS = (
    ("矿泉水一箱", "drink", 30, 40, 2, "550ml × 12 瓶"),
    ("冬季手套", "daily_goods", 60, 20, 1, "防风加绒，骑行专用"),
    ("免费体检", "health_check", 200, 5, 1, "合作医院基础体检套餐一次"),
)
PARTNER_REWARDS = (
    ("理发券", "other", 40, 15, 1, "爱心商铺免费理发一次"),
    ("电动车维修券", "repair_voucher", 80, 10, 1, "抵扣 30 元维修费"),
    ("话费充值 10 元", "phone_topup", 100, 30, 2, "到店登记手机号充值"),
)


# Events whose rule pays only for verified visits: the device's location put the worker at
# the station (a visit recorded without a location earns nothing).
REQUIRES_VERIFIED = {"station_visit"}


def _rules(admin, counts: Counter) -> None:
    district = Region.objects.get(code=DISTRICT_CODE)
    for event, points, daily, monthly in RULES:
        rule, created = EarningRule.objects.get_or_create(
            region=district,
            event=event,
            is_active=True,
            defaults={
                "points": points,
                "daily_cap": daily,
                "monthly_cap": monthly,
                "requires_verified": event in REQUIRES_VERIFIED,
            },
        )
        if not created and rule.requires_verified != (event in REQUIRES_VERIFIED):
            # A demo loaded before the flag existed gets it on the next load.
            rule.requires_verified = event in REQUIRES_VERIFIED
            rule.save(update_fields=["requires_verified", "updated_at"])
        counts["earning rules"] += created
    issuer_fund(
        region=district, amount=FUNDING, actor=admin, source_key=f"demo:fund:{DISTRICT_CODE}"
    )


def _local(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _activities(rng: random.Random, admin, leader, counts: Counter) -> list[Activity]:
    stations = list(
        Station.objects.filter(region__code__startswith=DISTRICT_CODE).order_by("uuid")[:8]
    )
    teams = [
        Organisation.objects.filter(name=name, kind=Organisation.Kind.VOLUNTEER_TEAM).first()
        for name, _street in TEAMS
    ]
    today = timezone.localdate()
    finished = []
    for t, team in enumerate(teams):
        if team is None:
            continue
        actor = leader if t == 0 and leader else admin
        for k, when in enumerate((-6, 2, 5)):
            title, description, skills, hours, capacity = ACTIVITIES[(t * 3 + k) % len(ACTIVITIES)]
            existing = Activity.objects.filter(organisation=team, title=title).first()
            if existing is not None:
                if existing.status == Activity.Status.FINISHED:
                    finished.append(existing)
                continue
            start = _local(today + timedelta(days=when + t), 9 + (t + k) % 6)
            station = stations[(t * 3 + k) % len(stations)] if stations else None
            fields = {}
            if station is None:
                region = team.region
                fields = {
                    "address": f"{region.name}便民服务点",
                    "lat": region.center_lat,
                    "lng": region.center_lng,
                    "region": region,
                }
            activity = activity_create(
                actor=actor,
                organisation=team,
                title=title,
                description=description,
                station=station,
                starts_at=start,
                ends_at=start + timedelta(hours=hours),
                capacity=capacity,
                skills=skills,
                points_per_hour=10,
                **fields,
            )
            counts["activities"] += 1
            if when > 0:
                activity_publish(actor=actor, activity=activity)
            else:
                # A finished activity from last week: written directly (it has started).
                Activity.objects.filter(pk=activity.pk).update(
                    status=Activity.Status.FINISHED, published_at=start - timedelta(days=3)
                )
                ActivityEvent.objects.create(
                    activity=activity,
                    action="finish",
                    from_state="draft",
                    to_state="finished",
                    actor_role="system",
                    note="demo",
                )
                activity.refresh_from_db()
                finished.append(activity)
    return finished


def _volunteers(team: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=team,
            memberships__status="active",
            memberships__role="member",
            worker_profile__isnull=False,
        ).order_by("phone")
    )


def _past_hours(rng: random.Random, finished: list[Activity], admin, counts: Counter) -> None:
    for activity in finished:
        if activity.attendances.exists():
            continue
        people = _volunteers(activity.organisation)[: activity.capacity]
        for person in people:
            SignUp.objects.create(
                activity=activity,
                user=person,
                status=SignUp.Status.CONFIRMED,
                created_at=activity.starts_at - timedelta(days=2),
            )
            counts["sign-ups"] += 1
            late = timedelta(minutes=rng.choice((0, 0, 5, 15)))
            early = timedelta(minutes=rng.choice((0, 0, 10, 30)))
            attendance = attendance_record(
                actor=admin,
                activity=activity,
                user=person,
                arrived_at=activity.starts_at + late,
                left_at=activity.ends_at - early,
            )
            attendance = attendance_confirm(actor=admin, attendance_id=attendance.pk)
            counts["confirmed attendances"] += 1
            # The award the hours_confirmed handler makes, with the same key.
            award_by_rule(
                user=person,
                event="volunteer_hour",
                region_code=activity.region.code,
                source_key=f"volunteer_hours:{attendance.pk}",
                occurred_at=activity.ends_at,
                quantity=attendance.credited_minutes / 60,
                points_per_unit=activity.points_per_hour,
                memo=f"志愿服务 · {activity.title}",
            )


def _rewards(counts: Counter) -> None:
    now = timezone.now()
    window = {"valid_from": now - timedelta(days=1), "valid_until": now + timedelta(days=180)}
    places = [("station", s) for s in district_stations()]
    places += [
        ("partner", p)
        for p in PartnerPlace.objects.filter(
            region__code__startswith=DISTRICT_CODE, kind="caring_merchant"
        ).order_by("uuid")[:3]
    ]
    for kind, place in places:
        provider_account(**{kind: place})
        catalogue = STATION_REWARDS if kind == "station" else PARTNER_REWARDS
        for title, reward_kind, price, stock, limit, description in catalogue:
            _, created = Reward.objects.get_or_create(
                title=title,
                **{kind: place},
                defaults={
                    "kind": reward_kind,
                    "price": price,
                    "stock": stock,
                    "per_person_limit": limit,
                    "description": description,
                    "region": place.region,
                    "city_code": place.city_code,
                    **window,
                },
            )
            counts["rewards"] += created


def _visits_and_a_code(rng: random.Random, counts: Counter) -> None:
    stations = district_stations()
    if not stations:
        return
    workers = list(
        WorkerProfile.objects.filter(work_region__code__startswith=DISTRICT_CODE)
        .select_related("user")
        .order_by("user__phone")[:12]
    )
    today = timezone.localdate()
    for n, profile in enumerate(workers):
        for days_ago in range(1, 4):
            at = _local(today - timedelta(days=days_ago), 8 + n % 10)
            station = stations[(n + days_ago) % len(stations)]
            if StationVisit.objects.filter(
                user=profile.user, station=station, day=at.date()
            ).exists():
                continue
            # The worker's phone was at the station, a few metres off: a verified visit.
            visit, created = visit_record(
                user=profile.user,
                station=station,
                at=at,
                lat=station.lat + 0.0001,
                lng=station.lng,
                accuracy_m=20,
            )
            counts["station visits"] += created
            award_by_rule(
                user=profile.user,
                event="station_visit",
                region_code=station.region.code,
                source_key=f"station_visit:{visit.pk}",
                occurred_at=at,
                memo=f"驿站打卡 · {station.name}",
                verified=visit.verified and not visit.flagged,
            )
    reward = Reward.objects.filter(station=stations[0], price__lte=30).order_by("price").first()
    if reward is None or Redemption.objects.filter(idempotency_key="demo-1").exists():
        return
    holders = (
        Account.objects.filter(kind=Account.Kind.WORKER, balance__gte=reward.price)
        .select_related("user")
        .order_by("user__phone")[:3]
    )
    for account in holders:
        reward_redeem(reward_id=reward.pk, user=account.user, idempotency_key="demo-1")
        counts["redemptions"] += 1


def demo_volunteering_load(*, seed: int = DEFAULT_SEED) -> Counter:
    """Create what is missing and return how many rows of each kind were created."""
    rng = random.Random(seed * 7 + 6)
    counts: Counter = Counter()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None or not Region.objects.filter(code=DISTRICT_CODE).exists():
        return counts
    leader = User.objects.filter(username=TEAM_LEADER[0]).first()
    with transaction.atomic():
        _rules(admin, counts)
        finished = _activities(rng, admin, leader, counts)
        _past_hours(rng, finished, admin, counts)
        _rewards(counts)
        _visits_and_a_code(rng, counts)
    return +counts
