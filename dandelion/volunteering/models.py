"""Volunteer activities (志愿活动), sign-ups with a waiting list, attendance and confirmed
hours."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent


class Activity(models.Model):
    """An activity a team or organisation publishes: where (a station, or an address with a
    point), when, how many people, which skills, how many points an hour.

    States: draft → published → finished, or cancelled (from draft or published); the moves
    and who may make them are `workflow.ACTIVITY`, and each writes an `ActivityEvent`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("报名中")
        FINISHED = "finished", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公开")
        TEAM = "team", _("仅本队")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("发布组织"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("驿站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    address = models.CharField(_("地址"), max_length=255)
    lat = models.FloatField(_("纬度 (WGS-84)"))
    lng = models.FloatField(_("经度 (WGS-84)"))
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    skills = models.JSONField(_("所需技能"), default=list, blank=True)
    points_per_hour = models.PositiveIntegerField(_("每小时积分"), default=10)
    visibility = models.CharField(
        _("可见范围"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The organiser's attendance code (签到码), shown as a QR on the organiser's phone or a poster.
    attendance_code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity"),
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="activity_point_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "finished", "cancelled"]),
                name="activity_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="activity_status_start"),
            models.Index(fields=["city_code", "status"], name="activity_city_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ActivityEvent(TransitionEvent):
    """One state change of an activity (append-only; `workflow.ACTIVITY`)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.from_state} → {self.to_state}"


class SignUp(models.Model):
    """A volunteer's place on an activity: confirmed while within capacity, otherwise waiting
    in order of signing up (the first waiting moves up when a confirmed person cancels)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已报名")
        WAITING = "waiting", _("候补中")
        CANCELLED = "cancelled", _("已取消")

    OPEN_STATUSES = (Status.CONFIRMED, Status.WAITING)

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        related_name="volunteer_signups",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("报名时间"))
    promoted_at = models.DateTimeField(_("转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="signup_one_open_per_activity",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status"], name="signup_activity_status")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.activity} ({self.status})"


class SignUpEvent(TransitionEvent):
    """One state change of a sign-up (append-only; `workflow.SIGNUP`)."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")

    def __str__(self) -> str:
        return f"{self.signup_id}: {self.from_state} → {self.to_state}"


class Attendance(models.Model):
    """When a volunteer was actually there (签到 on arrival, 签退 on leaving), and the hours the
    organiser confirmed.

    States: present → left → confirmed (`workflow.ATTENDANCE`; each move writes an
    `AttendanceEvent`). Credited minutes are the overlap of [arrived, left] with the activity's
    window; the organiser confirms them and may set another figure with a reason (audited).
    """

    class State(models.TextChoices):
        PRESENT = "present", _("已签到")
        LEFT = "left", _("已签退")
        CONFIRMED = "confirmed", _("已确认")

    class Method(models.TextChoices):
        STATION_QR = "station_qr", _("扫驿站码")
        ORGANISER_CODE = "organiser_code", _("扫活动码")
        ORGANISER = "organiser", _("组织者登记")

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        related_name="volunteer_attendances",
    )
    signup = models.ForeignKey(
        SignUp, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="attendances"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PRESENT)
    arrived_at = models.DateTimeField(_("签到时间"))
    left_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    arrival_method = models.CharField(_("签到方式"), max_length=16, choices=Method.choices)
    leaving_method = models.CharField(
        _("签退方式"), max_length=16, choices=Method.choices, blank=True
    )
    credited_minutes = models.PositiveIntegerField(_("认定时长（分钟）"), null=True, blank=True)
    computed_minutes = models.PositiveIntegerField(_("计算时长（分钟）"), null=True, blank=True)
    adjust_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="attendance_one_per_person"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("arrived_at")),
                name="attendance_left_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(credited_minutes__isnull=False),
                name="attendance_confirmed_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.activity}"

    @property
    def credited_hours(self) -> float:
        return (self.credited_minutes or 0) / 60


class AttendanceEvent(TransitionEvent):
    """One state change of an attendance (append-only; `workflow.ATTENDANCE`)."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("签到记录变更")
        verbose_name_plural = _("签到记录变更")

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.from_state} → {self.to_state}"
