from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dandelion.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from dandelion.accounts.services import register_anonymiser, register_export_section
        from dandelion.core import h5
        from dandelion.core.periodic import register_periodic

        from .kinds import register_kind
        from .services import (
            deliveries_retry,
            notifications_export,
            person_anonymise,
            preferences_export,
        )

        register_export_section("notifications", notifications_export)
        register_export_section("notification_preferences", preferences_export)
        register_anonymiser(person_anonymise)
        register_periodic("notifications.retry", every_seconds=300, run=deliveries_retry)
        # Recommendations (为我推荐) the publishing apps send through `recommendation_send`;
        # inbox and live stream only: a text message for every wish nearby would be too many.
        register_kind(
            "recommend.wish",
            title=_("附近有新的微心愿：{title}"),
            body=_("{region}的一位劳动者许了这个心愿，你可以认领，帮 TA 实现。"),
            channels=(),
            optional=True,
            label=_("附近的微心愿"),
        )
        h5.register_me_link(
            "recommendations", label=_("为我推荐"), url_name="notifications:for_me", order=15
        )
        h5.register_me_link(
            "notification_settings",
            label=_("通知设置"),
            url_name="notifications:settings",
            order=90,
        )
