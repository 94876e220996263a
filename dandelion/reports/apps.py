from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dandelion.reports"
    label = "reports"
    verbose_name = _("随手拍")

    def ready(self) -> None:
        from dandelion.accounts.services import register_anonymiser, register_export_section
        from dandelion.core.console import register_section
        from dandelion.core.h5 import register_me_link, register_service_entry
        from dandelion.core.periodic import register_periodic
        from dandelion.core.permissions import can
        from dandelion.notifications.services import register_kind

        from . import permissions, selectors, services

        permissions.register()
        register_export_section("reports", services.reports_export)
        register_anonymiser(services.person_anonymise)
        register_periodic(
            "reports.close_confirmed", every_seconds=3600, run=services.reports_close_confirmed
        )

        register_kind(
            "reports.assigned",
            title=_("新的随手拍待处理：{category}"),
            body=_("随手拍 #{report_id} 已派给你的单位，请及时处理。"),
            channels=("wechat",),
        )
        titles = {
            "open": _("你的随手拍已受理"),
            "investigating": _("你的随手拍正在核查"),
            "action_scheduled": _("你的随手拍已安排处置"),
            "in_progress": _("你的随手拍正在处置"),
            "fixed": _("你的随手拍已修复，请确认"),
            "closed": _("你的随手拍已办结"),
            "duplicate": _("你的随手拍与已有问题合并"),
            "no_further_action": _("你的随手拍无需处置"),
            "internal_referral": _("你的随手拍已转其他部门"),
            "reopen": _("随手拍已重新打开"),
            "for_triage": _("你的随手拍待分拣"),
        }
        for status, title in titles.items():
            register_kind(f"reports.status.{status}", title=title, body=_("{category}：{note}"))

        register_service_entry(
            "reports.new",
            label=_("随手拍"),
            url_name="reports:new",
            icon="📷",
            description=_("拍下身边的问题，送到能解决的人手里"),
            order=20,
        )
        register_service_entry(
            "reports.map",
            label=_("问题地图"),
            url_name="reports:map",
            icon="🗺",
            description=_("看看大家报告的问题处理得怎么样"),
            order=21,
        )
        register_me_link("reports.mine", label=_("我的随手拍"), url_name="reports:mine", order=20)
        register_section(
            "reports",
            label=_("随手拍"),
            url_name="reports_console:queue",
            visible=lambda user: can(user, "report.view_staff"),
            order=20,
            badge=selectors.triage_count,
        )
