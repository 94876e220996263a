from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WorkerProfile(models.Model):
    """What a worker tells us at online registration (在线报到): what they do, for whom, where,
    whether they volunteer, and their consent to the privacy policy (version and time).

    A profile with `consent_withdrawn_at` belongs to a deleted (anonymised) account: the
    occupation, platform and street stay for the programme's counts, nothing personal does.
    """

    class Occupation(models.TextChoices):
        DELIVERY_RIDER = "delivery_rider", _("外卖骑手")
        COURIER = "courier", _("快递员")
        RIDE_HAILING_DRIVER = "ride_hailing_driver", _("网约车司机")
        TRUCK_DRIVER = "truck_driver", _("货车司机")
        OTHER = "other", _("其他")

    class Platform(models.TextChoices):
        MEITUAN = "meituan", _("美团")
        ELEME = "eleme", _("饿了么")
        SF_EXPRESS = "sf_express", _("顺丰速运")
        JD_LOGISTICS = "jd_logistics", _("京东物流")
        DIDI = "didi", _("滴滴出行")
        HUOLALA = "huolala", _("货拉拉")
        DADA = "dada", _("达达")
        ZTO = "zto", _("中通快递")
        YTO = "yto", _("圆通速递")
        STO = "sto", _("申通快递")
        YUNDA = "yunda", _("韵达快递")
        JT_EXPRESS = "jt_express", _("极兔速递")
        EMS = "ems", _("中国邮政 EMS")
        OTHER = "other", _("其他")

    class Vehicle(models.TextChoices):
        """How the worker gets about: the map words travel time by it (riding by default) and
        plans routes for it. The values are `core.geo.TRAVEL_M_PER_MIN`'s keys."""

        E_BIKE = "e_bike", _("电动车")
        BICYCLE = "bicycle", _("自行车")
        MOTORCYCLE = "motorcycle", _("摩托车")
        CAR = "car", _("汽车")
        WALK = "walk", _("步行")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker_profile"
    )
    occupation = models.CharField(_("职业"), max_length=32, choices=Occupation.choices)
    platform = models.CharField(_("所属平台"), max_length=32, choices=Platform.choices)
    platform_other = models.CharField(
        _("其他平台"), max_length=100, blank=True, help_text=_("When the platform is “other”.")
    )
    work_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("主要工作街道"),
        on_delete=models.PROTECT,
        related_name="worker_profiles",
    )
    vehicle = models.CharField(
        _("交通工具"), max_length=16, choices=Vehicle.choices, default=Vehicle.E_BIKE
    )
    is_volunteer = models.BooleanField(_("愿意做志愿者"), default=False)
    skills = models.JSONField(_("技能"), default=list, blank=True)
    real_name = models.CharField(_("真实姓名"), max_length=50, blank=True)
    consent_policy_version = models.CharField(_("同意的隐私政策版本"), max_length=32)
    consented_at = models.DateTimeField(_("同意时间"))
    consent_withdrawn_at = models.DateTimeField(_("撤回同意时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("报到时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("劳动者档案")
        verbose_name_plural = _("劳动者档案")
        constraints = [
            models.CheckConstraint(
                condition=~Q(platform="other") | ~Q(platform_other=""),
                name="profile_other_platform_named",
            ),
        ]
        indexes = [models.Index(fields=["work_region", "occupation"], name="profile_region_occ")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_occupation_display()}"

    @property
    def platform_label(self) -> str:
        return (
            self.platform_other
            if self.platform == self.Platform.OTHER
            else str(self.get_platform_display())
        )
