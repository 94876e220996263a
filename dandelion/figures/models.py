"""The roll-ups the figures are read from (`docs/architecture.md`, "Figures").

Both tables are derived data: `manage.py figures_rebuild` can always recreate them from the
rows they count, and `manage.py figures_check` compares them with a recount.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyFigure(models.Model):
    """One measure of one region on one local day: a count, or a sum (minutes, points, stars).

    `region_code` is the finest region the counted rows know (a community or a street); a
    region's figure is the sum over the codes starting with its `code_prefix`. `day` is the
    day in the region's time zone. `key` splits a measure into the categories the figures break
    it down by (a station's kind, origin, 24h and stars; a report's category and status…).

    Stocks (stations, registered workers, teams…) are stored as the day each counted row
    entered the stock, so a stock as of any `to` is the sum of its rows up to `to`.

    Two kinds of row: the cells counted from the rows (`rolled` false, `region_code` the rows'
    own region), and their sums for every region above and including them (`rolled` true,
    `region_code` that region's `code_prefix`: "36" for the province, "3604" for a city…), so
    a figure of any region reads its own cells, never its subtree's.

    The rolled sums come by day (`grain` d) and by month (`grain` m, `day` the month's first
    day, the sum of that month's day rows): a period reads the month rows of its whole months
    and the day rows of its other days, so a year costs twelve rows a key, not 365."""

    class Grain(models.TextChoices):
        DAY = "d", _("日")
        MONTH = "m", _("月")

    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    grain = models.CharField(_("粒度"), max_length=1, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(_("日期"))
    measure = models.CharField(_("指标"), max_length=32)
    key = models.CharField(_("分类"), max_length=160, blank=True, default="")
    value = models.BigIntegerField(_("数值"))
    rolled = models.BooleanField(_("上级汇总"), default=False)

    class Meta:
        verbose_name = _("日汇总")
        verbose_name_plural = _("日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "rolled", "grain", "region_code", "day", "key"],
                name="figures_daily_unique",
            ),
            # Month rows are sums of rolled day rows; cells counted from rows are by day.
            models.CheckConstraint(
                condition=models.Q(grain="d") | models.Q(rolled=True),
                name="figures_daily_month_rolled",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_code", "grain", "day"],
                condition=models.Q(rolled=True),
                name="figures_daily_rolled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.grain}{self.day} {self.measure}[{self.key}]={self.value}"


class FigurePerson(models.Model):
    """A person counted by a distinct-people figure (visitors, volunteers) in a region over a
    day (`grain` d), a month (`grain` m) or a year (`grain` y; `start` their first day).

    Distinct counts cannot be summed from daily counts (one worker visiting on two days is one
    worker); they are counted exactly as `COUNT(DISTINCT person_id)` over these rows: the month
    rows for the months the period covers whole and the day rows for the days at its ends.
    A month row exists exactly when a day row of that person, region and measure exists in the
    month, so the union counts each person once. `person_id` is the user's id.

    As for `DailyFigure`, rows counted from the rows (`rolled` false: day rows only) and rows
    for every region above and including theirs (`rolled` true, `region_code` the region's
    `code_prefix`, day and month rows) that figures read."""

    class Grain(models.TextChoices):
        DAY = "d", _("日")
        MONTH = "m", _("月")
        YEAR = "y", _("年")

    grain = models.CharField(_("粒度"), max_length=1, choices=Grain.choices)
    measure = models.CharField(_("指标"), max_length=32)
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    start = models.DateField(_("起始日"))
    person_id = models.BigIntegerField(_("人员"))
    rolled = models.BooleanField(_("上级汇总"), default=False)

    class Meta:
        verbose_name = _("人员汇总")
        verbose_name_plural = _("人员汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "rolled", "grain", "region_code", "start", "person_id"],
                name="figures_person_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_code", "grain", "start"],
                condition=models.Q(rolled=True),
                name="figures_person_rolled",
            ),
            # An event's refresh recomputes the rolled rows of a few people.
            models.Index(fields=["measure", "person_id", "start"], name="figures_person_who"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.grain}{self.start} {self.measure} #{self.person_id}"


class PeopleCount(models.Model):
    """How many people a whole month or year of a region holds for a distinct-people measure:
    the number of rolled `FigurePerson` rows of that (measure, region, grain, start), kept
    beside them so a period of exactly one month or one year reads one row, not one row per
    person. Other periods count their `FigurePerson` rows (see `selectors`)."""

    measure = models.CharField(_("指标"), max_length=32)
    region_code = models.CharField(_("区划代码"), max_length=12)
    grain = models.CharField(_("粒度"), max_length=1, choices=FigurePerson.Grain.choices)
    start = models.DateField(_("起始日"))
    people = models.BigIntegerField(_("人数"))

    class Meta:
        verbose_name = _("人数汇总")
        verbose_name_plural = _("人数汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "grain", "start", "measure"],
                name="figures_people_count_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(grain__in=("m", "y")), name="figures_people_count_grain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.grain}{self.start} {self.measure}: {self.people}"
