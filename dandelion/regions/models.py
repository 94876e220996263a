from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

division_code_validator = RegexValidator(
    r"^(\d{6}|\d{9}|\d{12})$", _("A division code has 6, 9 or 12 digits (GB/T 2260).")
)


class Region(models.Model):
    """An administrative division (行政区划) by its GB/T 2260 / statistical code.

    Province, city and district codes have 6 digits; streets 9; communities 12. The code's
    prefix says which regions contain it, so "everything in 浔阳区" is `code LIKE '360403%'`
    once trailing zeros of the 6-digit level are trimmed (see `code_prefix`).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区/县")
        STREET = "street", _("街道/乡镇")
        COMMUNITY = "community", _("社区/村")

    code = models.CharField(
        _("区划代码"), max_length=12, unique=True, validators=[division_code_validator]
    )
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The prefix shared by every region inside this one: "36" for a province, "3604" for a city,
    # "360403" for a district, the whole code below that.
    code_prefix = models.CharField(_("代码前缀"), max_length=12, db_index=True, editable=False)
    # The city-level code of every row: the key a national deployment distributes tables by.
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    center_lat = models.FloatField(_("中心纬度 (WGS-84)"), null=True, blank=True)
    center_lng = models.FloatField(_("中心经度 (WGS-84)"), null=True, blank=True)
    timezone = models.CharField(_("时区"), max_length=64, default="Asia/Shanghai")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(center_lat__isnull=True) | Q(center_lat__gte=-90, center_lat__lte=90),
                name="region_center_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(center_lng__isnull=True) | Q(center_lng__gte=-180, center_lng__lte=180),
                name="region_center_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.code_prefix)
