"""Rows of every kind the figures count, written straight to the tables at chosen times (a
history), and an independent recount of the figures from them: plain queries and Python over
local days, sharing nothing with the roll-up's code."""

import itertools
import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dandelion.needs.models import MicroWish, Need, NeedRating, Problem
from dandelion.orgs.models import Organisation, PartyMembership
from dandelion.points.models import Account, Redemption, Reward, Transfer
from dandelion.reports.models import Report, ReportCategory
from dandelion.stations.models import PartnerPlace, Station, StationVisit
from dandelion.volunteering.models import Activity, Attendance, SignUp

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


class History:
    """Writes rows for the figures at given times in given regions."""

    def __init__(self, world):
        self.w = world
        self.categories: dict[str, ReportCategory] = {}

    def visit(self, *, user, station, at: datetime, flagged: bool = False) -> StationVisit:
        return StationVisit.objects.create(
            user=user,
            station=station,
            day=at.astimezone(SHANGHAI).date(),
            visited_at=at,
            city_code=station.city_code,
            flagged=flagged,
        )

    def need(
        self,
        *,
        worker,
        region,
        at: datetime,
        resolved_at: datetime | None = None,
        due: datetime | None = None,
        stars: int | None = None,
        rated_at: datetime | None = None,
    ) -> Need:
        need = Need.objects.create(
            worker=worker,
            description="工资被拖欠",
            region=region,
            city_code=region.city_code,
            state="resolved" if resolved_at else "submitted",
            department=self.w.office_x if resolved_at else None,
            submitted_at=at,
            resolved_at=resolved_at,
            accept_due_at=at + timedelta(days=1),
            resolve_due_at=due or at + timedelta(days=3),
        )
        if stars is not None:
            NeedRating.objects.create(
                need=need, round=1, stars=stars, created_at=rated_at or resolved_at or at
            )
        return need

    def wish(self, *, worker, region, at: datetime, fulfilled_at: datetime | None = None):
        return MicroWish.objects.create(
            worker=worker,
            title="一个小心愿",
            region=region,
            city_code=region.city_code,
            state="fulfilled" if fulfilled_at else "open",
            created_at=at,
            fulfilled_at=fulfilled_at,
        )

    def problem(self, *, region, at: datetime, solved_at: datetime | None = None, actor=None):
        return Problem.objects.create(
            title="骑手进小区难",
            region=region,
            city_code=region.city_code,
            state="solved" if solved_at else "open",
            raised_at=at,
            closed_at=solved_at,
            created_by=actor or self.w.admin_x,
        )

    def report(
        self,
        *,
        region,
        at: datetime,
        category: str = "garbage",
        status: str = "for_triage",
        fixed_at: datetime | None = None,
        reporter=None,
    ) -> Report:
        cat = self.categories.get(category)
        if cat is None:
            cat, _ = ReportCategory.objects.get_or_create(
                city_code=self.w.city.city_code,
                code=category,
                defaults={
                    "region": self.w.city,
                    "name": {"garbage": "垃圾堆放", "manhole": "井盖破损"}.get(category, category),
                },
            )
            self.categories[category] = cat
        return Report.objects.create(
            category=cat,
            region=region,
            city_code=region.city_code,
            reporter=reporter,
            source="h5",
            description="路边垃圾",
            lat=29.72,
            lng=115.99,
            h3_r9=0,
            status="fixed" if fixed_at else status,
            fixed_at=fixed_at,
            created_at=at,
            updated_at=fixed_at or at,
        )

    def activity(self, *, region, ends_at: datetime, status: str = "finished") -> Activity:
        return Activity.objects.create(
            organisation=self.w.team_x,
            title="志愿服务",
            address="驿站",
            lat=29.72,
            lng=115.99,
            region=region,
            city_code=region.city_code,
            starts_at=ends_at - timedelta(hours=2),
            ends_at=ends_at,
            capacity=10,
            status=status,
            created_by=self.w.leader_x,
        )

    def attendance(self, *, user, activity: Activity, minutes: int, at: datetime) -> Attendance:
        signup = SignUp.objects.create(
            activity=activity, user=user, status="confirmed", created_at=activity.starts_at
        )
        return Attendance.objects.create(
            activity=activity,
            user=user,
            signup=signup,
            state="confirmed",
            arrived_at=activity.starts_at,
            left_at=activity.ends_at,
            arrival_method="organiser",
            credited_minutes=minutes,
            computed_minutes=minutes,
            confirmed_at=at,
        )

    def _accounts(self, region, user):
        issuer, _ = Account.objects.get_or_create(
            kind="issuer", region=region, defaults={"name": f"{region.name}发放账户"}
        )
        worker, _ = Account.objects.get_or_create(
            kind="worker", user=user, defaults={"name": str(user)}
        )
        return issuer, worker

    def award(self, *, region, user, amount: int, at: datetime) -> Transfer:
        issuer, worker = self._accounts(region, user)
        return Transfer.objects.create(
            reason="award",
            source_key=f"test:{next(_serial)}",
            debit=issuer,
            credit=worker,
            amount=amount,
            occurred_at=at,
        )

    def redemption(self, *, region, user, price: int, at: datetime, status: str = "issued"):
        issuer, worker = self._accounts(region, user)
        reward = Reward.objects.create(
            title="矿泉水",
            kind="drink",
            region=region,
            city_code=region.city_code,
            station=self.w.station_x,
            price=price,
            stock=10,
            valid_from=at - timedelta(days=30),
            valid_until=at + timedelta(days=30),
        )
        charge = Transfer.objects.create(
            reason="redemption",
            source_key=f"test:{next(_serial)}",
            debit=worker,
            credit=issuer,
            amount=price,
            occurred_at=at,
        )
        refund = None
        if status in ("cancelled", "expired"):
            refund = Transfer.objects.create(
                reason="refund",
                source_key=f"test:{next(_serial)}",
                debit=issuer,
                credit=worker,
                amount=price,
                occurred_at=at,
            )
        n = next(_serial)
        return Redemption.objects.create(
            refund=refund,
            reward=reward,
            user=user,
            code=f"T{n:09d}",
            idempotency_key=f"k{n}",
            status=status,
            price=price,
            charge=charge,
            created_at=at,
            expires_at=at + timedelta(days=7),
        )


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(SHANGHAI).date() if moment else None


def recount(*, prefix: str, date_from: date, date_to: date) -> dict:
    """The figures recounted straight from the rows: what each figure's description says."""

    def within(moment) -> bool:
        day = moment if isinstance(moment, date) and not isinstance(moment, datetime) else None
        day = day or _day(moment)
        return day is not None and date_from <= day <= date_to

    def by_end(moment) -> bool:
        return moment is not None and _day(moment) <= date_to

    stations = [
        s
        for s in Station.objects.filter(region__code__startswith=prefix, status="active")
        if by_end(s.created_at)
    ]
    visits = [
        v
        for v in StationVisit.objects.filter(
            station__region__code__startswith=prefix, flagged=False
        )
        if within(v.day)
    ]
    needs = list(Need.objects.filter(region__code__startswith=prefix))
    ratings = [
        r.stars
        for r in NeedRating.objects.filter(need__region__code__startswith=prefix)
        if within(r.created_at)
    ]
    resolved = [n for n in needs if n.resolved_at and within(n.resolved_at)]
    reports = [
        r for r in Report.objects.filter(region__code__startswith=prefix) if within(r.created_at)
    ]
    fixed = [
        r
        for r in Report.objects.filter(region__code__startswith=prefix, fixed_at__isnull=False)
        if within(r.fixed_at)
    ]
    attendances = [
        a
        for a in Attendance.objects.filter(
            activity__region__code__startswith=prefix, state="confirmed"
        )
        if within(a.confirmed_at)
    ]
    redemptions = [
        r
        for r in Redemption.objects.filter(reward__region__code__startswith=prefix).exclude(
            status="cancelled"
        )
        if within(r.created_at)
    ]
    fix_minutes = [int((r.fixed_at - r.created_at).total_seconds() // 60) for r in fixed]
    party = [
        p
        for p in PartyMembership.objects.filter(
            branch__region__code__startswith=prefix, state="confirmed"
        )
        if by_end(p.decided_at)
    ]
    from dandelion.accounts.models import WorkerProfile

    workers = list(WorkerProfile.objects.filter(work_region__code__startswith=prefix))
    return {
        "stations.total": len(stations),
        "stations.open_24h": sum(s.is_24h for s in stations),
        "partners.total": sum(
            by_end(p.created_at)
            for p in PartnerPlace.objects.filter(region__code__startswith=prefix, status="active")
        ),
        "workers.registered": sum(by_end(w.registered_at) for w in workers),
        "workers.registered_in_period": sum(within(w.registered_at) for w in workers),
        "visits.count": len(visits),
        "visits.workers": len({v.user_id for v in visits}),
        "needs.submitted": sum(within(n.submitted_at) for n in needs),
        "needs.resolved": len(resolved),
        "needs.resolved_on_time": sum(n.resolved_at <= n.resolve_due_at for n in resolved),
        "needs.ratings": len(ratings),
        "needs.rating_avg": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "wishes.posted": sum(
            within(w.created_at) for w in MicroWish.objects.filter(region__code__startswith=prefix)
        ),
        "wishes.fulfilled": sum(
            within(w.fulfilled_at)
            for w in MicroWish.objects.filter(region__code__startswith=prefix, state="fulfilled")
        ),
        "problems.raised": sum(
            within(p.raised_at) for p in Problem.objects.filter(region__code__startswith=prefix)
        ),
        "problems.solved": sum(
            within(p.closed_at)
            for p in Problem.objects.filter(region__code__startswith=prefix, state="solved")
        ),
        "reports.submitted": len(reports),
        "reports.fixed": len(fixed),
        "reports.median_hours_to_fix": (
            statistics.median_low([m // 60 for m in fix_minutes]) if fix_minutes else None
        ),
        "volunteering.teams": sum(
            by_end(o.created_at)
            for o in Organisation.objects.filter(
                region__code__startswith=prefix, kind="volunteer_team", is_active=True
            )
        ),
        "volunteering.volunteers": len({a.user_id for a in attendances}),
        "volunteering.activities": sum(
            within(a.ends_at)
            for a in Activity.objects.filter(
                region__code__startswith=prefix, status__in=("published", "finished")
            )
        ),
        "volunteering.hours": round(sum(a.credited_minutes for a in attendances) / 60, 2),
        "points.issued": sum(
            t.amount
            for t in Transfer.objects.filter(debit__region__code__startswith=prefix, reason="award")
            if within(t.occurred_at)
        ),
        "points.redeemed": sum(r.price for r in redemptions),
        "points.redemptions": len(redemptions),
        "party.members_identified": sum(p.status in ("full", "probationary") for p in party),
        "party.reregistered": sum(p.is_mobile and within(p.decided_at) for p in party),
        "party.branches": sum(
            by_end(o.created_at)
            for o in Organisation.objects.filter(
                region__code__startswith=prefix, kind="party_branch", is_active=True
            )
        ),
    }


def figures_flat(out) -> dict:
    """The figures of a `FiguresOut` under the same names as `recount`."""
    data = out.model_dump()
    return {name: data[name.split(".")[0]][name.split(".")[1]] for name in FIGURE_NAMES}


FIGURE_NAMES = (
    "stations.total",
    "stations.open_24h",
    "partners.total",
    "workers.registered",
    "workers.registered_in_period",
    "visits.count",
    "visits.workers",
    "needs.submitted",
    "needs.resolved",
    "needs.resolved_on_time",
    "needs.ratings",
    "needs.rating_avg",
    "wishes.posted",
    "wishes.fulfilled",
    "problems.raised",
    "problems.solved",
    "reports.submitted",
    "reports.fixed",
    "reports.median_hours_to_fix",
    "volunteering.teams",
    "volunteering.volunteers",
    "volunteering.activities",
    "volunteering.hours",
    "points.issued",
    "points.redeemed",
    "points.redemptions",
    "party.members_identified",
    "party.reregistered",
    "party.branches",
)
