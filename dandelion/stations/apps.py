from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "dandelion.stations"
    label = "stations"
    verbose_name = _("驿站")

    def ready(self) -> None:
        from dandelion.core import console
        from dandelion.core.permissions import can

        from . import permissions

        permissions.register()
        console.register_section(
            "stations_visit_review",
            label=_("打卡复核"),
            url_name="stations_console:visit_review",
            visible=lambda user: can(user, "station_visit.review"),
            order=55,
            badge=_visits_pending_review,
        )
        console.register_section(
            "stations_work_log",
            label=_("我的驿站"),
            url_name="stations_console:stations",
            visible=lambda user: can(user, "station_service.log"),
            order=54,
        )


def _visits_pending_review(user) -> int:
    from .review_selectors import visits_pending_review_count

    return visits_pending_review_count(actor=user)
