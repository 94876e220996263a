"""Snapshot reports (随手拍) of community problems, served as Open311 GeoReport v2 requests.

A `Report` is one Open311 service request; its `ReportCategory` is an Open311 service, whose
extra questions (`CategoryAttribute`) are the service definition's attributes. `RoutingRule`
says which organisation handles a category inside a region. Every status change appends a
`ReportEvent` (the public updates). `ReportSupporter` rows are the "me too"s (我也遇到).
`ApiKey` lets an outside system post requests through Open311 inside one region.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent

from .statuses import CLOSED_STATUSES, Status


class ReportCategory(models.Model):
    """A kind of problem workers can report (an Open311 service), offered in a region and
    every region inside it. `code` is the Open311 `service_code`, unique within a city."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    group = models.CharField(_("分组"), max_length=40, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    icon = models.CharField(_("图标"), max_length=8, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["city_code", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["city_code", "code"], name="report_category_code"),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryAttribute(models.Model):
    """An extra question of a category: an Open311 service definition attribute."""

    class Datatype(models.TextChoices):
        STRING = "string", _("短文本")
        NUMBER = "number", _("数字")
        DATETIME = "datetime", _("日期时间")
        TEXT = "text", _("长文本")
        SINGLE = "singlevaluelist", _("单选")
        MULTI = "multivaluelist", _("多选")

    category = models.ForeignKey(
        ReportCategory,
        verbose_name=_("问题类别"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    code = models.SlugField(_("代码"), max_length=40)
    description = models.CharField(_("问题"), max_length=200)
    description_en = models.CharField(_("英文问题"), max_length=200, blank=True)
    datatype = models.CharField(_("类型"), max_length=16, choices=Datatype.choices)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    datatype_description_en = models.CharField(_("英文填写说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=1)
    # [{"key": "1", "name": "一楼", "name_en": "Ground floor"}, …] for the list datatypes
    # (`name_en` optional: an English reader sees `name` without it).
    values = models.JSONField(_("选项"), default=list, blank=True)

    class Meta:
        verbose_name = _("补充问题")
        verbose_name_plural = _("补充问题")
        ordering = ["category_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_attribute_code"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.code}"


class RoutingRule(models.Model):
    """Reports of `category` (any category when empty) whose place lies in `region` go to
    `organisation`. The most specific region wins; at equal depth a rule for the category
    beats a catch-all."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        ReportCategory,
        verbose_name=_("问题类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("处置单位"),
        on_delete=models.PROTECT,
        related_name="report_routing_rules",
    )

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["region__code", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category"],
                condition=Q(category__isnull=False),
                name="routing_rule_one_per_category",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(category__isnull=True),
                name="routing_rule_one_catch_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.category or '*'} → {self.organisation}"


class ApiKey(models.Model):
    """A key an outside system uses to post Open311 requests inside `region`. Only a hash is
    stored; the key itself is shown once, when it is issued in the admin."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+"
    )
    key_prefix = models.CharField(_("前缀"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Report(models.Model):
    """One snapshot report (随手拍): an Open311 service request. The reporter is never shown to
    the public; `contact` holds what an Open311 client sent about its user, for staff only."""

    class Source(models.TextChoices):
        H5 = "h5", _("手机页面")
        API = "api", _("接口")
        OPEN311 = "open311", _("Open311")

    category = models.ForeignKey(
        ReportCategory, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    # The city-level division code: the Open311 jurisdiction and the distribution key.
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("处置单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    description = models.TextField(_("描述"), max_length=4000)
    lat = models.FloatField(_("纬度 (WGS-84)"))
    lng = models.FloatField(_("经度 (WGS-84)"))
    h3_r9 = models.BigIntegerField(editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    attributes = models.JSONField(_("补充信息"), default=dict, blank=True)
    media_url = models.URLField(_("外部图片链接"), max_length=500, blank=True)
    contact = models.JSONField(_("联系信息"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.FOR_TRIAGE
    )
    status_note = models.CharField(_("最新说明"), max_length=1000, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The reporter's own key for one submission (a phone resending a report it queued offline,
    # or a double tap): the same key from the same reporter is the same report.
    client_token = models.CharField(max_length=64, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    expected_at = models.DateTimeField(_("预计完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), db_index=True)

    class Meta:
        verbose_name = _("随手拍")
        verbose_name_plural = _("随手拍")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90) & Q(lng__gte=-180, lng__lte=180),
                name="report_point_range",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="report_duplicate_has_original",
            ),
            models.UniqueConstraint(
                fields=["reporter", "client_token"],
                condition=~Q(client_token=""),
                name="report_client_token_once",
            ),
        ]
        indexes = [
            models.Index(fields=["h3_r9", "category", "status"], name="report_h3_category"),
            models.Index(fields=["city_code", "created_at"], name="report_city_created"),
            models.Index(fields=["organisation", "status"], name="report_org_status"),
            models.Index(fields=["status", "created_at"], name="report_status_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ReportPhoto(models.Model):
    """A photo as stored: re-encoded JPEG with orientation applied and no EXIF, and its
    thumbnail. The uploaded bytes are never kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("照片"), upload_to="reports/%Y/%m/", width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("缩略图"), upload_to="reports/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["report_id", "order", "id"]

    def __str__(self) -> str:
        return self.image.name


class ReportEvent(TransitionEvent):
    """One thing that happened to a report, append-only. Status events are the public updates
    (Open311 `servicerequestupdates`); `note` is public, so it never names the reporter.

    Status events are the workflow's moves (`action` is the table's, e.g. `to_fixed`); the
    other kinds (created, routed, merged, supported) carry their kind as the `action`."""

    class Kind(models.TextChoices):
        CREATED = "created", _("提交")
        STATUS = "status", _("状态变更")
        ROUTED = "routed", _("派单")
        DUPLICATE = "duplicate", _("合并重复")
        SUPPORTED = "supported", _("我也遇到")

    class Actor(models.TextChoices):
        REPORTER = "reporter", _("报告人")
        STAFF = "staff", _("工作人员")
        SYSTEM = "system", _("系统")
        CLIENT = "client", _("外部系统")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    # The common columns, as this table has always stored them.
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, blank=True)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    actor_role = models.CharField(_("操作方"), max_length=16, choices=Actor.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("处置单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="report_event_report")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.to_state}"


class ReportSupporter(models.Model):
    """ "Me too" (我也遇到): a person who saw the same problem and follows the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_supports"
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="report_supporter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.report_id}"
