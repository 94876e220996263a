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
    # A GeoJSON Polygon or MultiPolygon geometry in WGS-84 ([lng, lat] positions), checked by
    # `regions.shapes.boundary_validate` before it is stored.
    boundary = models.JSONField(_("边界 (GeoJSON, WGS-84)"), null=True, blank=True)
    # The boundary's bounding box, so a point lookup reads only the regions that may hold it.
    bbox_south = models.FloatField(_("边界南端纬度"), null=True, blank=True, editable=False)
    bbox_west = models.FloatField(_("边界西端经度"), null=True, blank=True, editable=False)
    bbox_north = models.FloatField(_("边界北端纬度"), null=True, blank=True, editable=False)
    bbox_east = models.FloatField(_("边界东端经度"), null=True, blank=True, editable=False)
    population = models.PositiveBigIntegerField(_("常住人口"), null=True, blank=True)

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


class PopulationCell(models.Model):
    """People living in one H3 resolution-9 cell (about 0.1 km²): a population grid. Where a
    city has one, coverage counts a cell's people from it instead of dividing a community's
    population evenly over its cells."""

    h3 = models.CharField(_("H3 单元 (9 级)"), max_length=16, unique=True)
    people = models.PositiveIntegerField(_("人口"))
    # The city-level division code the cell belongs to (the city containing its centre).
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True)

    class Meta:
        verbose_name = _("人口网格单元")
        verbose_name_plural = _("人口网格")
        ordering = ["h3"]

    def __str__(self) -> str:
        return f"{self.h3}: {self.people}"
