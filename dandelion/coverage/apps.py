from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    """15-minute service circles (15分钟服务圈): coverage of every community by the station network,
    the gaps, worker demand by H3 cell, and siting suggestions."""

    name = "dandelion.coverage"
    label = "coverage"
    verbose_name = _("服务圈覆盖")

    def ready(self) -> None:
        from dandelion.core import console
        from dandelion.core.permissions import can

        from . import permissions
        from .demand import demand_connect

        permissions.register()
        demand_connect()
        console.register_section(
            "coverage_map",
            label=_("服务圈覆盖"),
            url_name="coverage_console:map",
            visible=lambda user: can(user, "coverage.view"),
            order=70,
        )
