from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "dandelion.volunteering"
    label = "volunteering"
    verbose_name = _("志愿服务")

    def ready(self) -> None:
        from dandelion.accounts.services import register_export_section
        from dandelion.core import console, h5
        from dandelion.core.events import subscribe
        from dandelion.core.periodic import register_periodic
        from dandelion.core.permissions import can
        from dandelion.notifications.services import register_kind

        from . import handlers, permissions
        from .events import ActivityPublished
        from .services import activities_finish_due

        permissions.register()
        subscribe(ActivityPublished, handlers.activity_recommend)
        register_periodic(
            "volunteering.finish_activities", every_seconds=600, run=activities_finish_due
        )
        register_export_section("volunteering", _volunteering_export)
        register_kind(
            "volunteering.activity_published",
            title=_("新的志愿活动：{title}"),
            body=_("{organisation} 发布了志愿活动，{starts_at} 开始，快来报名。"),
            # A recommendation (为我推荐): volunteers may switch it off in their settings.
            optional=True,
        )
        register_kind(
            "volunteering.activity_cancelled",
            title=_("志愿活动已取消：{title}"),
            body=_("取消原因：{reason}"),
        )
        register_kind(
            "volunteering.signup_promoted",
            title=_("候补成功：{title}"),
            body=_("有人取消了报名，你已从候补转为正式报名。"),
        )
        register_kind(
            "volunteering.hours_confirmed",
            title=_("志愿时长已确认：{title}"),
            body=_("本次认定 {hours} 小时。"),
            channels=(),
        )
        h5.register_service_entry(
            "volunteer",
            label=_("志愿活动"),
            url_name="volunteering:feed",
            icon="🤝",
            description=_("附近的志愿服务，报名、签到、记时长"),
            order=30,
        )
        h5.register_me_link(
            "volunteer_signups", label=_("我的报名"), url_name="volunteering:mine", order=20
        )
        h5.register_me_link(
            "volunteer_hours", label=_("我的志愿时长"), url_name="volunteering:hours", order=21
        )
        console.register_section(
            "volunteering",
            label=_("志愿活动"),
            url_name="volunteering_console:list",
            visible=lambda user: can(user, "activity.view"),
            order=50,
        )


def _volunteering_export(user) -> dict:
    from dandelion.stations.selectors import visits_of

    from .selectors import hours_of, signups_of

    return {
        "signups": [
            {"activity": s.activity.title, "status": s.status, "at": s.created_at.isoformat()}
            for s in signups_of(user=user)
        ],
        "hours": [
            {"activity": a.activity.title, "minutes": a.credited_minutes}
            for a in hours_of(user=user)
        ],
        "station_visits": [
            {"station": v.station.name, "day": v.day.isoformat()} for v in visits_of(user=user)
        ],
    }
