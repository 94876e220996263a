"""Station standards (驿站建设标准) and assessments against them (星级评定).

- A `Standard` belongs to a region (None: the platform default) and is versioned: a region admin
  edits a draft and publishes it as the region's next version; the one published before is
  retired. A region's standard applies to everything below it unless a region closer to the
  station publishes its own (`selectors.standard_in_force`).
- Its tree: first-level `IndicatorGroup`s (一级指标), each holding second-level `Indicator`s
  (二级指标) with maximum points, a scoring guide, whether evidence is required and optionally an
  automatic `measure` scored from data the platform already holds (`measures`).
- `StarLevel`s are thresholds on the total with prerequisites; `VetoRule`s take a star away (or
  every star: 摘牌) for an unfixed complaint or repeated failures to open.
- An `Assessment` scores one station against one standard version (kept even after a newer
  one is published) and moves through `workflow.ASSESSMENT`; each move is an `AssessmentEvent`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent

POINTS = {"max_digits": 5, "decimal_places": 1}


class Standard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已废止")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the platform default, in force wherever no region publishes its own."),
    )
    name = models.CharField(_("名称"), max_length=120)
    version = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    bonus_points = models.DecimalField(_("创新加分上限"), default=5, **POINTS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("驿站建设标准")
        verbose_name_plural = _("驿站建设标准")
        ordering = ["region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="standard_region_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="standard_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class IndicatorGroup(models.Model):
    """A first-level indicator (一级指标)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("代码"), max_length=8)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("一级指标")
        verbose_name_plural = _("一级指标")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_group_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Measure(models.TextChoices):
    """What the platform measures by itself (`measures.py` computes each)."""

    NONE = "", _("人工评分")
    AMENITIES = "amenities", _("设施齐全度")
    WEEKLY_HOURS = "weekly_hours", _("每周开放时长")
    OPEN_24H = "open_24h", _("24小时开放")
    AREA = "area", _("面积")
    SEATS = "seats", _("座位数")
    VISITS_PER_MONTH = "visits_per_month", _("月均打卡人次")
    NEEDS_ON_TIME = "needs_on_time", _("诉求按时办结率")
    AVERAGE_RATING = "average_rating", _("平均评价")
    COMPLAINTS_FIXED = "complaints_fixed", _("投诉整改率")
    FACTS_FRESHNESS = "facts_freshness", _("信息核实距今天数")
    SERVICES_HELD = "services_held", _("开展服务场次")


class Indicator(models.Model):
    """A second-level indicator (二级指标): what is scored, out of `max_points`."""

    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("代码"), max_length=8)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    max_points = models.DecimalField(
        _("分值"), validators=[MinValueValidator(0), MaxValueValidator(100)], **POINTS
    )
    guide = models.TextField(_("评分细则"), blank=True)
    evidence_required = models.BooleanField(_("需要佐证材料"), default=False)
    # The innovation bonus (创新加分): counted beyond the 100 points, up to the standard's bonus.
    is_bonus = models.BooleanField(_("加分项"), default=False)
    measure = models.CharField(
        _("自动测量"), max_length=24, choices=Measure.choices, default="", blank=True
    )
    # Scoring parameters of the measure, e.g. {"full_at": 84} (hours a week for full points),
    # {"amenities": ["hot_water", …]}; see `measures.PARAMETERS`.
    measure_params = models.JSONField(_("测量参数"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("二级指标")
        verbose_name_plural = _("二级指标")
        ordering = ["group__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="indicator_group_code_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0, max_points__lte=100), name="indicator_points_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StarLevel(models.Model):
    """A star level's threshold on the total, and its prerequisites (all must hold)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="levels")
    stars = models.PositiveSmallIntegerField(
        _("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_points = models.DecimalField(_("最低总分"), **POINTS)
    min_area_m2 = models.PositiveIntegerField(_("最小面积 (m²)"), null=True, blank=True)
    # Amenity codes the station must have (e.g. ["aed"]).
    required_amenities = models.JSONField(_("必备设施"), default=list, blank=True)
    # Indicator codes that must earn points (e.g. the extended services: at least one held).
    required_indicators = models.JSONField(_("必须得分的指标"), default=list, blank=True)

    class Meta:
        verbose_name = _("星级门槛")
        verbose_name_plural = _("星级门槛")
        ordering = ["stars"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "stars"], name="star_level_once"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="star_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_points}"


class VetoRule(models.Model):
    """A rule that takes stars away between assessments (一票否决 / 降星)."""

    class Kind(models.TextChoices):
        UNFIXED_COMPLAINT = "unfixed_complaint", _("投诉超期未整改")
        MISSED_OPENING = "missed_opening", _("多次未按时开放")

    class Effect(models.TextChoices):
        LOSE_STAR = "lose_star", _("降一星")
        DELIST = "delist", _("摘牌（取消星级）")

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="vetoes")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    # unfixed_complaint: a complaint still open after `days`; missed_opening: `count` spot checks
    # finding the station closed while its hours say open, within the last `days`.
    days = models.PositiveIntegerField(_("天数"), validators=[MinValueValidator(1)])
    count = models.PositiveIntegerField(_("次数"), default=1, validators=[MinValueValidator(1)])
    effect = models.CharField(_("后果"), max_length=16, choices=Effect.choices)

    class Meta:
        verbose_name = _("否决规则")
        verbose_name_plural = _("否决规则")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "kind"], name="veto_kind_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.get_effect_display()}"


class AssessmentRound(models.Model):
    """A campaign (评定批次): one assessment for every active station of a region subtree."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=120)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("评定批次")
        verbose_name_plural = _("评定批次")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("待自评")
        SELF_ASSESSED = "self_assessed", _("已自评")
        REVIEWED = "reviewed", _("已评审")
        APPROVED = "approved", _("已核定")
        RETURNED = "returned", _("退回补充")
        APPEALED = "appealed", _("申诉中")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("驿站"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    standard = models.ForeignKey(
        Standard, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="assessments"
    )
    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("评定批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    total = models.DecimalField(_("总分"), default=0, **POINTS)
    stars = models.PositiveSmallIntegerField(_("评定星级"), default=0)
    # The prerequisites that kept the total from a higher level, for the page to say why.
    shortfalls = models.JSONField(_("未达门槛"), default=list, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    approved_at = models.DateTimeField(_("核定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "station"],
                condition=Q(round__isnull=False),
                name="assessment_once_per_round",
            ),
            models.CheckConstraint(condition=Q(stars__lte=5), name="assessment_stars_range"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="assessment_state")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.station_id} {self.state}"


class AssessmentScore(models.Model):
    """One indicator's score in one assessment: what was measured, what the station claimed,
    what the reviewer gave (an override of a measured value carries its reason)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    measured_value = models.FloatField(_("测量值"), null=True, blank=True)
    measured_source = models.CharField(_("数据来源"), max_length=200, blank=True)
    measured_points = models.DecimalField(_("测量得分"), null=True, blank=True, **POINTS)
    self_points = models.DecimalField(_("自评得分"), null=True, blank=True, **POINTS)
    self_note = models.TextField(_("自评说明"), blank=True, max_length=2000)
    reviewed_points = models.DecimalField(_("评审得分"), null=True, blank=True, **POINTS)
    review_note = models.TextField(_("评审意见"), blank=True, max_length=2000)
    override_reason = models.CharField(_("改分理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["indicator__group__order", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}"

    @property
    def points(self):
        """What counts: the reviewer's score, else the measured one, else the station's own."""
        for value in (self.reviewed_points, self.measured_points, self.self_points):
            if value is not None:
                return value
        return 0


class AssessmentEvidence(models.Model):
    """A photo the station gives as evidence (佐证材料) for one indicator."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    image = models.ImageField(_("照片"), upload_to="standards/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class AssessmentEvent(TransitionEvent):
    """A step of an assessment (append-only): who, when, why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("评定记录")
        verbose_name_plural = _("评定记录")


class SpotCheck(models.Model):
    """An unannounced visit by region staff (明察暗访): was the station open? A check that finds
    it closed while its hours say open counts towards the missed-opening veto."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="+"
    )
    checked_at = models.DateTimeField(_("检查时间"))
    found_open = models.BooleanField(_("开放中"))
    should_be_open = models.BooleanField(_("按营业时间应开放"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("暗访检查")
        verbose_name_plural = _("暗访检查")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["station", "checked_at"], name="spotcheck_station_time")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.checked_at:%Y-%m-%d %H:%M}"

    @property
    def missed(self) -> bool:
        return self.should_be_open and not self.found_open


class VetoApplied(models.Model):
    """A veto rule applied to a station, once per basis (the complaint, the checks counted),
    so the periodic job running twice takes nothing twice."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(VetoRule, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("依据"), max_length=120)
    stars_before = models.PositiveSmallIntegerField(_("原星级"))
    stars_after = models.PositiveSmallIntegerField(_("新星级"))
    applied_at = models.DateTimeField(_("执行时间"), default=timezone.now)

    class Meta:
        verbose_name = _("否决执行记录")
        verbose_name_plural = _("否决执行记录")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "rule", "basis"], name="veto_once"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.rule_id} {self.basis}"
