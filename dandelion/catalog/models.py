"""The service menu (服务清单) workers "order from": categories, items and each item's questions.

An item is managed by one region (its admins edit it) and serves one or more regions (a district
serves every street in it). Each item names the organisations that provide it, the hours within
which a need must be accepted and resolved, whether a place is asked for, and extra typed
questions the worker answers when ordering.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dandelion.core.i18n import is_english, localized

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,47}$", _("Lower-case letters, digits and underscores, 2–48 characters.")
)


class ServiceCategory(models.Model):
    """A heading of the menu: legal services, medical and health, employment and skills…"""

    code = models.CharField(_("编码"), max_length=48, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    icon = models.CharField(_("图标"), max_length=8, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class ServiceItem(models.Model):
    """One thing a worker can order (e.g. labour-dispute mediation)."""

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("编码"), max_length=48, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    description = models.TextField(_("说明"), max_length=1000, blank=True)
    description_en = models.TextField(_("英文说明"), max_length=1000, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("管理区划"),
        on_delete=models.PROTECT,
        related_name="managed_service_items",
        help_text=_("The region whose administrators manage this item."),
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    regions_served = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("服务区划"),
        related_name="served_service_items",
        help_text=_("A district serves every street and community in it."),
    )
    providers = models.ManyToManyField(
        "orgs.Organisation",
        verbose_name=_("提供单位"),
        blank=True,
        related_name="provided_service_items",
    )
    accept_hours = models.PositiveSmallIntegerField(
        _("受理时限（小时）"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    resolve_hours = models.PositiveSmallIntegerField(
        _("办结时限（小时）"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(2160)],
    )
    needs_location = models.BooleanField(_("需要填写地点"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["category__sort_order", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_hours__gte=1) & Q(resolve_hours__gte=F("accept_hours")),
                name="service_item_deadlines_ordered",
            ),
        ]
        indexes = [models.Index(fields=["city_code", "is_active"], name="service_item_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def description_label(self) -> str:
        return localized(self.description, self.description_en)


class ItemQuestion(models.Model):
    """An extra question of an item, answered when ordering; typed so the form and the API can
    check the answer."""

    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        NUMBER = "number", _("数字")
        DATE = "date", _("日期")
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")

    CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE})

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.CharField(_("字段名"), max_length=48, validators=[code_validator])
    label = models.CharField(_("问题"), max_length=100)
    label_en = models.CharField(_("英文问题"), max_length=160, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("必填"), default=False)
    # [{"value": "unpaid_wages", "label": "拖欠工资", "label_en": "Unpaid wages"}, …]
    choices = models.JSONField(_("选项"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("附加问题")
        verbose_name_plural = _("附加问题")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="item_question_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.label}"

    @property
    def text(self) -> str:
        return localized(self.label, self.label_en)

    def choice_options(self) -> list[tuple[str, str]]:
        """(value, label in the active language) of each choice."""
        english = is_english()
        return [
            (c["value"], (c.get("label_en") if english and c.get("label_en") else c["label"]))
            for c in self.choices or []
        ]
