from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "dandelion.catalog"
    label = "catalog"
    verbose_name = _("服务清单")

    def ready(self) -> None:
        from . import permissions

        permissions.register()
