from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """Station standards (星级评定): versioned indicator trees per region, assessments of stations
    against them, star levels awarded with a validity, expiry and veto rules."""

    name = "dandelion.standards"
    label = "standards"
    verbose_name = _("站点星级评定")

    def ready(self) -> None:
        from dandelion.core.console import register_section
        from dandelion.core.periodic import register_periodic
        from dandelion.core.permissions import can
        from dandelion.notifications.services import register_kind

        from . import permissions, selectors, services

        permissions.register()
        register_periodic(
            "standards.stars_expire_and_veto",
            every_seconds=3600,
            run=services.stars_expire_and_veto,
        )
        register_kind(
            "standards.stars_expired",
            title=_("驿站星级已到期：{station}"),
            body=_("{station} 的 {stars} 星评定已过有效期，请尽快组织复评。"),
        )
        register_kind(
            "standards.stars_vetoed",
            title=_("驿站被降星：{station}"),
            body=_("{station} 因“{rule}”由 {before} 星调整为 {after} 星。"),
        )
        register_section(
            "standards",
            label=_("星级评定"),
            url_name="standards_console:queue",
            visible=lambda user: can(user, "assessment.view"),
            order=60,
            badge=selectors.queue_count,
        )
