from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dandelion.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from dandelion.accounts.services import register_anonymiser, register_export_section
        from dandelion.core.periodic import register_periodic

        from .services import deliveries_retry, notifications_export, person_anonymise

        register_export_section("notifications", notifications_export)
        register_anonymiser(person_anonymise)
        register_periodic("notifications.retry", every_seconds=300, run=deliveries_retry)
