"""Earning rules (积分规则): how many points an event earns in a region, under caps."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EarningRule(models.Model):
    """How many points an event earns in a region (积分规则), with caps per worker per day and
    per month (counted in the region's local days). The most specific region with an active
    rule for the event decides: a street's rule overrides its district's."""

    class Event(models.TextChoices):
        STATION_VISIT = "station_visit", _("驿站打卡")
        REPORT_ACCEPTED = "report_accepted", _("随手拍被采纳")
        VOLUNTEER_HOUR = "volunteer_hour", _("志愿服务时长（每小时）")
        TRAINING_ATTENDED = "training_attended", _("参加培训")
        NEED_RATED = "need_rated", _("评价诉求办理")

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("事件"), max_length=32, choices=Event.choices)
    points = models.PositiveIntegerField(_("积分"))
    daily_cap = models.PositiveIntegerField(
        _("每日上限"), null=True, blank=True, help_text=_("Points per worker per day; empty: none.")
    )
    monthly_cap = models.PositiveIntegerField(
        _("每月上限"),
        null=True,
        blank=True,
        help_text=_("Points per worker per month; empty: none."),
    )
    # A station visit (驿站打卡) is verified when the device's location put the worker at the
    # station; a rule that requires it pays nothing for the others (`award_by_rule`).
    requires_verified = models.BooleanField(
        _("只计已核验位置的打卡"),
        default=False,
        help_text=_("Station visits only: pay only for visits whose location was verified."),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["region__code", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "event"],
                condition=Q(is_active=True),
                name="points_one_active_rule_per_event",
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="points_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.get_event_display()} · {self.points}"
