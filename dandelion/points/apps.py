from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "dandelion.points"
    label = "points"
    verbose_name = _("积分")

    def ready(self) -> None:
        from dandelion.accounts.services import register_export_section
        from dandelion.core import console, events, h5
        from dandelion.core.periodic import register_periodic
        from dandelion.core.permissions import can
        from dandelion.notifications.services import register_kind

        from . import permissions
        from .handlers import SUBSCRIPTIONS
        from .services import redemptions_expire

        permissions.register()
        for name, handler in SUBSCRIPTIONS.items():
            events.subscribe(name, handler)
        register_periodic("points.expire_redemptions", every_seconds=300, run=redemptions_expire)
        register_export_section("points", _points_export)

        register_kind(
            "points.awarded",
            title=_("获得 {points} 积分"),
            body=_("{memo}"),
            channels=(),
        )
        register_kind(
            "points.redemption_expired",
            title=_("兑换码已过期，积分已退回"),
            body=_("{reward}：{points} 积分已退回你的账户。"),
            channels=(),
        )
        h5.register_service_entry(
            "rewards",
            label=_("积分兑换"),
            url_name="points:shop",
            icon="🎁",
            description=_("用积分兑换饮品、日用品和服务"),
            order=40,
        )
        h5.register_me_link("points", label=_("我的积分"), url_name="points:mine", order=30)
        h5.register_me_link(
            "redemptions",
            label=_("我的兑换码"),
            url_name="points:redemptions",
            order=31,
            badge=_issued_count,
        )
        console.register_section(
            "points_fulfil",
            label=_("兑换核销"),
            url_name="points_console:fulfil",
            visible=lambda user: can(user, "redemption.fulfil"),
            order=60,
        )
        console.register_section(
            "points_rewards",
            label=_("兑换商品与库存"),
            url_name="points_console:rewards",
            visible=lambda user: can(user, "reward.view"),
            order=61,
        )


def _issued_count(user) -> int:
    from .selectors import issued_count

    return issued_count(user=user)


def _points_export(user) -> dict:
    from .selectors import balance_of, points_history, redemptions_of

    return {
        "balance": balance_of(user=user),
        "history": [
            {
                "at": e.created_at.isoformat(),
                "amount": e.amount,
                "reason": e.transfer.reason,
                "memo": e.transfer.memo,
            }
            for e in points_history(user=user)
        ],
        "redemptions": [
            {
                "code": r.code,
                "reward": r.reward.title,
                "status": r.status,
                "at": r.created_at.isoformat(),
            }
            for r in redemptions_of(user=user)
        ],
    }
