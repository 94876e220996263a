import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", _("Enter a phone number of digits, spaces, +, - or parentheses.")
)


class Amenity(models.Model):
    """A facility from the managed catalogue (设施): hot water, battery swap, toilet…"""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    icon = models.CharField(
        _("图标"), max_length=16, blank=True, help_text=_("An emoji shown on chips.")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("设施")
        verbose_name_plural = _("设施")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_zh


class Place(models.Model):
    """What stations and partner places share: a named WGS-84 point in a region, with hours."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("运营中")
        SUSPENDED = "suspended", _("暂停")
        CLOSED = "closed", _("已关闭")

    name = models.CharField(_("名称"), max_length=120)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT
    )
    # The city-level division code, copied from the region: the distribution key at scale.
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    address = models.CharField(_("地址"), max_length=255)
    lat = models.FloatField(
        _("纬度 (WGS-84)"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lng = models.FloatField(
        _("经度 (WGS-84)"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    # H3 cells of the point (see core.geo.H3_RESOLUTIONS), kept by the services with lat/lng.
    h3_r5 = models.BigIntegerField(editable=False)
    h3_r7 = models.BigIntegerField(editable=False)
    h3_r9 = models.BigIntegerField(editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    is_24h = models.BooleanField(_("24小时开放"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


def _place_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name=f"{prefix}_lat_range"),
        models.CheckConstraint(
            condition=Q(lng__gte=-180, lng__lte=180), name=f"{prefix}_lng_range"
        ),
    ]


def _place_indexes(prefix: str) -> list:
    return [
        models.Index(fields=["h3_r5"], name=f"{prefix}_h3_r5"),
        models.Index(fields=["h3_r7"], name=f"{prefix}_h3_r7"),
        models.Index(fields=["h3_r9"], name=f"{prefix}_h3_r9"),
    ]


# The highest star level (星级) a station can hold; 0 is unrated.
STARS_MAX = 5


def new_visit_code() -> str:
    """A fresh secret for a station's visit QR code (打卡码): 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class Station(Place):
    """A warm station (驿站): a place where workers rest, heat a meal, charge, get help."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合站")
        RIDER_HOME = "rider_home", _("骑手之家")
        DRIVER_HOME = "driver_home", _("司机之家")
        COURIER = "courier", _("快递员驿站")
        OTHER = "other", _("其他专业站")

    class Origin(models.TextChoices):
        RENOVATED = "renovated", _("改造提升")
        NEW_BUILD = "new_build", _("新建")
        PARTNER_BANK = "partner_bank", _("合作共建·银行")
        PARTNER_TELECOM = "partner_telecom", _("合作共建·通信营业厅")
        PARTNER_MERCHANT = "partner_merchant", _("合作共建·商户")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The secret printed in the station's visit QR code (打卡码). Unlike `uuid` and `id`, no
    # public output shows it: only those who may `station.print_poster` see it, and rotating it
    # (`services.station_visit_code_rotate`) makes every poster printed before useless.
    visit_code = models.CharField(
        _("打卡码密钥"), max_length=64, unique=True, default=new_visit_code, editable=False
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    origin = models.CharField(_("建设方式"), max_length=20, choices=Origin.choices)
    host_org_name = models.CharField(_("承建/托管单位"), max_length=120, blank=True)
    area_m2 = models.PositiveIntegerField(_("面积 (m²)"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("座位数"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    # When the station manager or region staff last confirmed the facts above were true
    # (`services.station_facts_confirm`); the standards app measures the days since.
    facts_confirmed_at = models.DateTimeField(_("信息核实时间"), null=True, blank=True)
    # The star level (星级) awarded by the standards app's assessment (0 = unrated), written
    # only by `services.station_stars_set`, which announces `stations.stars_changed`.
    stars = models.PositiveSmallIntegerField(
        _("星级"), default=0, validators=[MaxValueValidator(STARS_MAX)]
    )
    stars_valid_until = models.DateField(_("星级有效期至"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    amenities = models.ManyToManyField(
        Amenity, verbose_name=_("设施"), related_name="stations", blank=True
    )

    class Meta:
        verbose_name = _("驿站")
        verbose_name_plural = _("驿站")
        ordering = ["id"]
        constraints = [
            *_place_constraints("station"),
            # Imports and the admin identify a station by its name within its region.
            models.UniqueConstraint(
                fields=["region", "name"], name="station_unique_name_in_region"
            ),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__lte=100000),
                name="station_area_range",
            ),
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__lte=10000),
                name="station_seats_range",
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=0, stars__lte=5), name="station_stars_range"
            ),
        ]
        indexes = [
            *_place_indexes("station"),
            models.Index(fields=["city_code", "kind"], name="station_city_kind"),
        ]


class PartnerPlace(Place):
    """A friendly merchant (爱心商铺) or service corner (服务角): offers some amenities without
    being a station. Shown as its own map layer and in nearby search on request."""

    class Kind(models.TextChoices):
        CARING_MERCHANT = "caring_merchant", _("爱心商铺")
        SERVICE_CORNER = "service_corner", _("服务角")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    offer = models.CharField(_("优惠与服务"), max_length=255, blank=True)
    amenities = models.ManyToManyField(
        Amenity, verbose_name=_("设施"), related_name="partners", blank=True
    )

    class Meta:
        verbose_name = _("合作点位")
        verbose_name_plural = _("合作点位（爱心商铺、服务角）")
        ordering = ["id"]
        constraints = _place_constraints("partner")
        indexes = _place_indexes("partner")


def _one_owner() -> Q:
    return Q(station__isnull=False, partner__isnull=True) | Q(
        station__isnull=True, partner__isnull=False
    )


class OpeningInterval(models.Model):
    """A weekly opening interval. `closes` at or before `opens` means it runs past midnight into
    the next day (e.g. 20:00–02:00); the interval belongs to the weekday it starts on."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("周一")
        TUESDAY = 1, _("周二")
        WEDNESDAY = 2, _("周三")
        THURSDAY = 3, _("周四")
        FRIDAY = 4, _("周五")
        SATURDAY = 5, _("周六")
        SUNDAY = 6, _("周日")

    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    partner = models.ForeignKey(
        PartnerPlace, null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开门"))
    closes = models.TimeField(_("关门"))

    class Meta:
        verbose_name = _("营业时间")
        verbose_name_plural = _("营业时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=_one_owner(), name="interval_one_owner"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="interval_weekday_range"
            ),
            models.CheckConstraint(
                condition=~Q(opens=models.F("closes")), name="interval_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class HoursException(models.Model):
    """A dated exception (holiday, temporary closure). The rows of a date replace that date's
    weekly intervals: `closed` rows close the whole day; others give the day's intervals."""

    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    partner = models.ForeignKey(
        PartnerPlace, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天关闭"), default=True)
    opens = models.TimeField(_("开门"), null=True, blank=True)
    closes = models.TimeField(_("关门"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("特殊营业日")
        verbose_name_plural = _("特殊营业日")
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(condition=_one_owner(), name="exception_one_owner"),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | (
                    Q(closed=False, opens__isnull=False, closes__isnull=False)
                    & ~Q(opens=models.F("closes"))
                ),
                name="exception_closed_or_interval",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="exception_date")]

    def __str__(self) -> str:
        return f"{self.date} {'closed' if self.closed else f'{self.opens}–{self.closes}'}"


class StationPhoto(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="stations/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("驿站照片")
        verbose_name_plural = _("驿站照片")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class PlacesVersion(models.Model):
    """One row whose token changes, by database triggers, in the same transaction as any write
    to places, their amenities, hours or exceptions, the amenity catalogue or the regions.

    Each process's nearby index (`place_index`) compares it to the token it was built from: the
    triggers catch every writer (services, the admin, imports, raw SQL), and a rolled-back write
    leaves the old token, so no process keeps an index of rows that never existed."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class StationVisit(models.Model):
    """A worker scanned a station's code (驿站打卡, a visit): one per worker, station and the
    station's local day, whatever the number of scans. The visit log feeds the station's figures
    and its star assessment; `stations.visit_recorded` announces each new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("劳动者"),
        on_delete=models.CASCADE,
        related_name="station_visits",
    )
    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="visits"
    )
    day = models.DateField(_("日期"))
    visited_at = models.DateTimeField(_("打卡时间"))
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True)
    # Verified: the device sent a location within STATION_VISIT_RADIUS_M of the station, to
    # within that accuracy. A visit without one is recorded, unverified.
    verified = models.BooleanField(_("位置已核验"), default=False)
    distance_m = models.PositiveIntegerField(_("距驿站（米）"), null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    # Flagged: the worker could not have travelled from their visit before (or to the one
    # after) in the time between them. A flagged visit earns nothing until a reviewer accepts
    # it; a rejected one stays flagged, with its reviewer.
    flagged = models.BooleanField(_("待核查"), default=False)
    flag_reason = models.CharField(_("核查原因"), max_length=255, blank=True)
    reviewed_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("驿站打卡")
        verbose_name_plural = _("驿站打卡")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "station", "day"], name="visit_one_per_station_day"
            ),
        ]
        indexes = [
            models.Index(fields=["station", "day"], name="visit_station_day"),
            models.Index(fields=["user", "visited_at"], name="visit_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.station} {self.day}"


class ServiceKind(models.Model):
    """A kind of service a station holds beyond visits (a managed list, edited in the admin):
    free health checks (义诊), legal or counselling sessions, trainings, haircuts, the free-drinks
    fridge refills (which count bottles)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    counts_bottles = models.BooleanField(
        _("记录瓶数"),
        default=False,
        help_text=_("冰箱补给类服务：记录发放的瓶数。"),
    )
    is_active = models.BooleanField(_("可选用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("服务类型")
        verbose_name_plural = _("服务类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_zh


class StationServiceLog(models.Model):
    """One service a station held on a day (the station's work log): its kind, the people it
    served, bottles given for fridge refills, a note and an optional photo. Written by
    `services.service_log_add`, announced as `stations.service_logged`."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="service_logs"
    )
    date = models.DateField(_("日期"))
    kind = models.ForeignKey(ServiceKind, verbose_name=_("服务类型"), on_delete=models.PROTECT)
    people_served = models.PositiveIntegerField(
        _("服务人数"), default=0, validators=[MaxValueValidator(100_000)]
    )
    bottles = models.PositiveIntegerField(
        _("发放瓶数"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)
    photo = models.ImageField(_("照片"), upload_to="stations/services/%Y/%m/", blank=True)
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # The client's Idempotency-Key: the same key from the same person records one entry.
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("驿站服务记录")
        verbose_name_plural = _("驿站服务记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="service_log_idempotent",
            ),
            models.CheckConstraint(
                condition=Q(people_served__lte=100_000), name="service_log_people_range"
            ),
            models.CheckConstraint(
                condition=Q(bottles__isnull=True) | Q(bottles__lte=1_000_000),
                name="service_log_bottles_range",
            ),
        ]
        indexes = [models.Index(fields=["station", "date"], name="service_log_station_date")]

    def __str__(self) -> str:
        return f"{self.station} {self.date} {self.kind}"
