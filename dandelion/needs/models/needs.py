"""Needs (诉求): the worker orders (小哥点单), the government dispatches (政府派单), the
department takes the order (部门接单), the worker rates it (小哥评单).

The allowed moves between states are one table, `needs.workflow.NEED`; every move writes a
`NeedEvent` in the same transaction (`core.workflow.transition`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent


class Need(models.Model):
    """One request for help from a worker, for an item of the service menu or "other"."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待派单")
        DISPATCHED = "dispatched", _("已派单")
        ACCEPTED = "accepted", _("已接单")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已办结")
        CLOSED = "closed", _("已评价")
        CANCELLED = "cancelled", _("已撤销")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("普通")
        URGENT = "urgent", _("紧急")

    WITH_DEPARTMENT = ("dispatched", "accepted", "in_progress", "resolved", "closed")
    AWAITING_ACCEPTANCE = ("submitted", "dispatched")
    AWAITING_RESOLUTION = ("accepted", "in_progress")

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        help_text=_("Empty for “other”."),
    )
    description = models.TextField(_("诉求描述"), max_length=2000)
    answers = models.JSONField(_("附加信息"), default=dict, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度 (WGS-84)"), null=True, blank=True)
    lng = models.FloatField(_("经度 (WGS-84)"), null=True, blank=True)
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    client_token = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    accept_due_at = models.DateTimeField(_("应接单时间"))
    resolve_due_at = models.DateTimeField(_("应办结时间"))
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("Raised each time the worker reopens the need.")
    )
    resolution = models.TextField(_("办理结果"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "submitted",
                        "dispatched",
                        "accepted",
                        "in_progress",
                        "resolved",
                        "closed",
                        "cancelled",
                    ]
                ),
                name="need_state_known",
            ),
            models.CheckConstraint(
                condition=Q(state="submitted", department__isnull=True)
                | Q(
                    state__in=["dispatched", "accepted", "in_progress", "resolved", "closed"],
                    department__isnull=False,
                )
                | Q(state="cancelled"),
                name="need_department_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="need_point_complete",
            ),
            models.UniqueConstraint(
                fields=["worker", "client_token"],
                condition=~Q(client_token=""),
                name="need_client_token_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "city_code"], name="need_state_city"),
            models.Index(fields=["department", "state"], name="need_department_state"),
            models.Index(fields=["worker", "-submitted_at"], name="need_worker_recent"),
            models.Index(fields=["accept_due_at"], name="need_accept_due"),
            models.Index(fields=["resolve_due_at"], name="need_resolve_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item or _('其他')} ({self.get_state_display()})"

    @property
    def item_label(self) -> str:
        return self.item.label if self.item_id else str(_("其他诉求"))

    def overdue_stage(self, now=None) -> str | None:
        """ "accept" or "resolve" when that deadline has passed in the current state."""
        now = now or timezone.now()
        if self.state in self.AWAITING_ACCEPTANCE and self.accept_due_at < now:
            return "accept"
        if self.state in self.AWAITING_RESOLUTION and self.resolve_due_at < now:
            return "resolve"
        return None


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="needs/%Y/%m/")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class NeedEvent(TransitionEvent):
    """One step of a need's life (append-only): who acted, in which role and for which office,
    the state before and after, and a note. The worker's timeline shows the office's name, never
    the staff member's."""

    class Role(models.TextChoices):
        WORKER = "worker", _("提出人")
        DISPATCHER = "dispatcher", _("调度员")
        DEPARTMENT_HANDLER = "department_handler", _("部门经办人")
        REGION_ADMIN = "region_admin", _("区域管理员")
        SYSTEM = "system", _("系统")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    actor_role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    office = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office_name = models.CharField(_("办理单位名称"), max_length=120, blank=True)
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("派往部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        indexes = [models.Index(fields=["need", "created_at"], name="need_event_need_time")]

    def __str__(self) -> str:
        return f"#{self.need_id} {self.action}: {self.from_state} → {self.to_state}"


class NeedRating(models.Model):
    """The worker's rating of one round of handling (小哥评单)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    stars = models.PositiveSmallIntegerField(
        _("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tags = models.JSONField(_("标签"), default=list, blank=True)
    comment = models.TextField(_("评价"), max_length=500, blank=True)
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办部门"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "round"], name="need_rating_once_per_round"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="need_rating_stars_range"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.need_id} {'★' * self.stars}"


class NeedReview(models.Model):
    """A low rating (two stars or fewer) the dispatcher looks into (回访复核)."""

    class State(models.TextChoices):
        OPEN = "open", _("待复核")
        CLOSED = "closed", _("已复核")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="reviews")
    rating = models.OneToOneField(NeedRating, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    note = models.TextField(_("复核意见"), max_length=2000, blank=True)
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("差评复核")
        verbose_name_plural = _("差评复核")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "opened_at"], name="need_review_state")]

    def __str__(self) -> str:
        return f"#{self.need_id} {self.get_state_display()}"


class NeedEscalation(models.Model):
    """A deadline missed and reported to the region's admins, once per need, stage and round:
    the unique constraint is what makes the periodic job safe to run twice."""

    class Stage(models.TextChoices):
        ACCEPT = "accept", _("超时未接单")
        RESOLVE = "resolve", _("超时未办结")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(_("类型"), max_length=16, choices=Stage.choices)
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    created_at = models.DateTimeField(_("督办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("超时督办")
        verbose_name_plural = _("超时督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "stage", "round"], name="need_escalation_once")
        ]

    def __str__(self) -> str:
        return f"#{self.need_id} {self.get_stage_display()}"


class RoutingRule(models.Model):
    """Needs for `item` from inside `region` go straight to `department` (自动派单). The most
    specific region wins; what no rule matches waits in the dispatcher's queue."""

    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("服务事项"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["item_id", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "region"], name="routing_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.region} → {self.department}"


class NeedReviewEvent(TransitionEvent):
    """A step of a review of a low rating (append-only)."""

    review = models.ForeignKey(NeedReview, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("复核记录")
        verbose_name_plural = _("复核记录")

    def __str__(self) -> str:
        return f"#{self.review_id} {self.action}: {self.from_state} → {self.to_state}"
