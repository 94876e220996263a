from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoleAssignment(models.Model):
    """A staff role held over one scope: a region (and everything in it), an organisation (and
    its sub-organisations) or a station. `core.permissions` turns these into grants."""

    class Role(models.TextChoices):
        REGION_ADMIN = "region_admin", _("区域管理员")
        DISPATCHER = "dispatcher", _("调度员")
        DEPARTMENT_HANDLER = "department_handler", _("部门经办人")
        STATION_MANAGER = "station_manager", _("驿站管理员")
        ORGANISER = "organiser", _("组织者（队长、支部负责人）")
        PARTY_OFFICER = "party_officer", _("党建工作人员")
        AUDITOR = "auditor", _("审计员（只读）")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("驿站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, organisation__isnull=True, station__isnull=True)
                | Q(region__isnull=True, organisation__isnull=False, station__isnull=True)
                | Q(region__isnull=True, organisation__isnull=True, station__isnull=False),
                name="role_exactly_one_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="role_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "station"],
                condition=Q(station__isnull=False),
                name="role_unique_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return self.region or self.organisation or self.station
