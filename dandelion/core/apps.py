from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dandelion.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # Every app's declared event types (`<app>/events.py`), so a process that delivers an
        # event knows its type even when nothing there imported the publisher.
        autodiscover_modules("events")
