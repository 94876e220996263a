"""The demo city's people: staff for every role and scope, a few hundred registered workers,
volunteer teams and party branches with members, and some party members returned to the team.

Every staff account shares one documented password, `DEMO_PASSWORD`, set only when the account
is created (a changed password survives a reload). Workers sign in by phone: their numbers are
1990000xxxx (the console SMS backend writes the code to the server log).

Loading is idempotent: people are found by username or phone, organisations by name, kind and
region, and nothing is written for what already exists. Workers are a pure function of the seed.
"""

import random
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from dandelion.accounts.models import RoleAssignment, User, WorkerProfile
from dandelion.accounts.services import role_assign, worker_register
from dandelion.orgs.models import Membership, Organisation, PartyMembership
from dandelion.orgs.services import (
    membership_add,
    membership_request,
    organisation_create,
    party_membership_confirm,
    party_membership_declare,
)
from dandelion.regions.models import Region
from dandelion.stations.models import Station

from .city import DEFAULT_SEED

DEMO_PASSWORD = "dandelion-demo-2026"
DISTRICT_CODE = "360403"  # 浔阳区
WORKER_COUNT = 300
PHONE_PREFIX = "1990000"  # + 4 digits: 19900000001 … 19900000300
HR_OFFICE = "浔阳区人力资源和社会保障局"
PARTY_COMMITTEE = "浔阳区新就业群体党委"

K = Organisation.Kind
R = Membership.Role

# (username, display name, role, scope); scope is ("region", code), ("organisation", name) or
# ("station", index into the district's demo stations). Leaders and secretaries hold their
# powers through their membership (see orgs.permissions), set up in `_organisations`.
STAFF = (
    ("xunyang_admin", "浔阳区管理员", "region_admin", ("region", DISTRICT_CODE)),
    ("dispatcher", "浔阳区调度员", "dispatcher", ("region", DISTRICT_CODE)),
    ("hr_handler", "人社局经办人", "department_handler", ("organisation", HR_OFFICE)),
    ("station_manager_1", "驿站站长一", "station_manager", ("station", 0)),
    ("station_manager_2", "驿站站长二", "station_manager", ("station", 1)),
    ("auditor", "浔阳区审计员", "auditor", ("region", DISTRICT_CODE)),
)
TEAM_LEADER = ("team_leader", "志愿队队长")
BRANCH_SECRETARY = ("branch_secretary", "支部书记")

# (name, street code); the first team is led by `team_leader`.
TEAMS = (
    ("甘棠街道骑手志愿服务队", "360403001"),
    ("湓浦街道快递小哥志愿服务队", "360403002"),
    ("八里湖街道货车司机志愿服务队", "360403006"),
    ("十里街道新就业群体志愿服务队", "360402001"),
)
# (name, street code, station index or None); the first branch's secretary is `branch_secretary`.
BRANCHES = (
    ("甘棠街道骑手党支部", "360403001", 0),
    ("人民路街道快递员党支部", "360403003", 1),
    ("金鸡坡街道网约车司机党支部", "360403005", None),
)

STREETS = {
    "360403001": 14,
    "360403002": 9,
    "360403003": 11,
    "360403004": 12,
    "360403005": 14,
    "360403006": 14,
    "360403091": 12,
    "360403092": 9,
    "360402001": 12,
    "360402002": 10,
    "360404001": 11,
    "360404002": 7,
}
OCCUPATIONS = {
    "delivery_rider": 45,
    "courier": 30,
    "ride_hailing_driver": 12,
    "truck_driver": 8,
    "other": 5,
}
PLATFORMS = {
    "delivery_rider": ("meituan", "meituan", "eleme", "eleme", "dada"),
    "courier": ("sf_express", "jd_logistics", "zto", "yto", "sto", "yunda", "jt_express", "ems"),
    "ride_hailing_driver": ("didi", "didi", "other"),
    "truck_driver": ("huolala", "huolala", "other"),
    "other": ("other",),
}
OTHER_PLATFORMS = ("曹操出行", "满帮", "闪送", "同城跑腿")
SKILLS = ("急救", "维修电动车", "理发", "法律咨询", "心理疏导", "摄影", "驾驶", "文艺", "电脑维修")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉斌波宇浩凯健俊帆"
PARTY_STATUSES = ("full", "full", "full", "probationary", "activist", "applicant")
HOME_BRANCHES = ("", "", "湖北省黄梅县某村党支部", "安徽省宿松县某村党支部", "九江市某社区党支部")


@dataclass(frozen=True)
class WorkerSpec:
    phone: str
    name: str
    occupation: str
    platform: str
    platform_other: str
    street: str
    is_volunteer: bool
    skills: tuple[str, ...]
    real_name: str


@dataclass
class DemoPeopleSummary:
    created: Counter = field(default_factory=Counter)


def workers_build(*, seed: int = DEFAULT_SEED, count: int = WORKER_COUNT) -> list[WorkerSpec]:
    """The demo workers: a pure function of the seed."""
    rng = random.Random(f"people:{seed}")
    streets, street_weights = zip(*STREETS.items(), strict=True)
    occupations, occupation_weights = zip(*OCCUPATIONS.items(), strict=True)
    workers = []
    for n in range(1, count + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        occupation = rng.choices(occupations, occupation_weights)[0]
        platform = rng.choice(PLATFORMS[occupation])
        is_volunteer = rng.random() < 0.35
        workers.append(
            WorkerSpec(
                phone=f"{PHONE_PREFIX}{n:04d}",
                name=name,
                occupation=occupation,
                platform=platform,
                platform_other=rng.choice(OTHER_PLATFORMS) if platform == "other" else "",
                street=rng.choices(streets, street_weights)[0],
                is_volunteer=is_volunteer,
                skills=tuple(rng.sample(SKILLS, rng.randint(1, 3))) if is_volunteer else (),
                real_name=name if rng.random() < 0.5 else "",
            )
        )
    return workers


def district_stations() -> list[Station]:
    """The district's demo stations in a stable order (their uuids come from slot keys)."""
    return list(Station.objects.filter(region__code__startswith=DISTRICT_CODE).order_by("uuid")[:2])


class _Loader:
    def __init__(self, seed: int, summary: DemoPeopleSummary):
        self.seed = seed
        self.summary = summary
        self.regions = {r.code: r for r in Region.objects.filter(code__startswith="3604")}
        self.stations = district_stations()
        self._password = None

    def password(self) -> str:
        # One hash for every staff account: hashing once keeps the load fast.
        if self._password is None:
            self._password = make_password(DEMO_PASSWORD)
        return self._password

    def staff_user(self, username: str, name: str, **flags) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=name, is_staff=True, **flags)
            user.password = self.password()
            user.save()
            self.summary.created["staff"] += 1
        return user

    def organisation(self, name: str, kind: str, region: Region, **fields) -> Organisation:
        org = Organisation.objects.filter(name=name, kind=kind, region=region).first()
        if org is None:
            org = organisation_create(name=name, kind=kind, region=region, **fields)
            self.summary.created["organisation"] += 1
        return org

    def member(self, org: Organisation, user: User, role: str = R.MEMBER) -> None:
        if not Membership.objects.filter(organisation=org, user=user).exists():
            membership_add(organisation=org, user=user, role=role)
            self.summary.created["membership"] += 1

    def role(self, user: User, role: str, **scope) -> None:
        if not RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
            role_assign(user=user, role=role, **scope)
            self.summary.created["role"] += 1


def _organisations(loader: _Loader):
    district = loader.regions[DISTRICT_CODE]
    hr = loader.organisation(HR_OFFICE, K.GOVERNMENT_DEPARTMENT, district)
    committee = loader.organisation(PARTY_COMMITTEE, K.PARTY_COMMITTEE, district)
    teams = [
        loader.organisation(name, K.VOLUNTEER_TEAM, loader.regions[code]) for name, code in TEAMS
    ]
    branches = []
    for name, code, station_index in BRANCHES:
        station = None
        if station_index is not None and station_index < len(loader.stations):
            station = loader.stations[station_index]
        branches.append(
            loader.organisation(
                name, K.PARTY_BRANCH, loader.regions[code], parent=committee, station=station
            )
        )
    return hr, committee, teams, branches


def _staff(loader: _Loader, hr: Organisation, teams, branches) -> None:
    loader.staff_user("admin", "系统管理员", is_superuser=True)
    for username, name, role, (kind, key) in STAFF:
        user = loader.staff_user(username, name)
        if kind == "region":
            loader.role(user, role, region=loader.regions[key])
        elif kind == "organisation":
            loader.role(user, role, organisation=hr)
            loader.member(hr, user, R.HANDLER)
        elif key < len(loader.stations):
            loader.role(user, role, station=loader.stations[key])
    loader.member(teams[0], loader.staff_user(*TEAM_LEADER), R.LEADER)
    loader.member(branches[0], loader.staff_user(*BRANCH_SECRETARY), R.SECRETARY)


def _workers(loader: _Loader) -> list[User]:
    specs = workers_build(seed=loader.seed)
    existing = {u.phone: u for u in User.objects.filter(phone__startswith=PHONE_PREFIX)}
    registered = set(
        WorkerProfile.objects.filter(user__phone__startswith=PHONE_PREFIX).values_list(
            "user__phone", flat=True
        )
    )
    users = []
    for n, spec in enumerate(specs, start=1):
        user = existing.get(spec.phone)
        if user is None:
            user = User(username=f"demo_worker_{n:03d}", phone=spec.phone, display_name=spec.name)
            user.set_unusable_password()
            user.save()
            loader.summary.created["worker"] += 1
        if spec.phone not in registered:
            worker_register(
                user=user,
                changes={
                    "occupation": spec.occupation,
                    "platform": spec.platform,
                    "platform_other": spec.platform_other,
                    "work_region_code": spec.street,
                    "is_volunteer": spec.is_volunteer,
                    "skills": list(spec.skills),
                    "real_name": spec.real_name,
                    "accept_policy_version": settings.PRIVACY_POLICY_VERSION,
                },
            )
        users.append(user)
    return users


def _members(loader: _Loader, workers: list[User], teams, branches) -> None:
    """Volunteers join the team of their street (or the first team): most approved, the last
    few of each team still pending; every tenth worker returns to a branch as a party member."""
    specs = workers_build(seed=loader.seed)
    team_by_street = {code: team for (_, code), team in zip(TEAMS, teams, strict=True)}
    leader = User.objects.get(username=TEAM_LEADER[0])
    secretary = User.objects.get(username=BRANCH_SECRETARY[0])
    open_memberships = set(
        Membership.objects.filter(user__in=workers).values_list("organisation_id", "user_id")
    )
    declared = set(
        PartyMembership.objects.filter(user__in=workers).values_list("user_id", flat=True)
    )
    joined = Counter()
    for n, (spec, user) in enumerate(zip(specs, workers, strict=True)):
        if spec.is_volunteer:
            team = team_by_street.get(spec.street, teams[n % len(teams)])
            joined[team.pk] += 1
            if (team.pk, user.pk) not in open_memberships:
                if joined[team.pk] % 8 == 0:
                    membership_request(organisation=team, user=user)
                else:
                    # The leader approves their own team; the others are set up by the system.
                    approver = leader if team == teams[0] else None
                    membership_add(organisation=team, user=user, actor=approver)
                loader.summary.created["membership"] += 1
        if n % 10 == 3 and user.pk not in declared:
            branch = branches[(n // 10) % len(branches)]
            declaration = party_membership_declare(
                user=user,
                branch=branch,
                status=PARTY_STATUSES[n % len(PARTY_STATUSES)],
                home_branch=HOME_BRANCHES[n % len(HOME_BRANCHES)],
                is_mobile=n % 3 == 0,
            )
            # The first branch's secretary confirms most; a few stay pending for the demo.
            if branch == branches[0] and n % 4 != 1:
                party_membership_confirm(party_membership=declaration, actor=secretary)
            loader.summary.created["party_membership"] += 1


@transaction.atomic
def demo_people_load(*, seed: int = DEFAULT_SEED) -> DemoPeopleSummary:
    """Staff, workers, teams and branches of the demo city; needs the city loaded first."""
    summary = DemoPeopleSummary()
    loader = _Loader(seed, summary)
    hr, _committee, teams, branches = _organisations(loader)
    _staff(loader, hr, teams, branches)
    workers = _workers(loader)
    _members(loader, workers, teams, branches)
    return summary
