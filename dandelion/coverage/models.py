"""The coverage app's rows: the anonymous trace nearby searches leave (demand)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DEMAND_MIN_COUNT = 5  # k-anonymity: a cell's day is stored only from its 5th search on


class DemandCount(models.Model):
    """How many nearby searches (找驿站) were made from one H3 resolution-8 cell (about 0.7 km²)
    on one day (Asia/Shanghai). Never a coordinate, a person or a time of day; a cell's day
    appears only once it has had `DEMAND_MIN_COUNT` searches (see `coverage.demand`)."""

    day = models.DateField(_("日期"))
    cell = models.CharField(_("H3 单元（8 级）"), max_length=15)
    # The cell's resolution-5 parent (about 250 km²), so a region's days are found through a
    # handful of parents rather than thousands of cells.
    cell_r5 = models.CharField(_("H3 单元（5 级）"), max_length=15)
    count = models.PositiveIntegerField(_("搜索次数"))

    class Meta:
        verbose_name = _("找驿站需求")
        verbose_name_plural = _("找驿站需求")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "cell"], name="coverage_demand_one_per_cell_day"
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=DEMAND_MIN_COUNT), name="coverage_demand_count_min"
            ),
        ]
        indexes = [models.Index(fields=["cell_r5", "day"], name="coverage_demand_parent_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.cell}: {self.count}"
