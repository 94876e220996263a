"""What the needs app adds to the shared shells: notification texts, console sections, the
services hub's tiles and the "me" page's rows."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.console import register_section
from dandelion.core.h5 import register_me_link, register_service_entry
from dandelion.core.permissions import can
from dandelion.notifications.services import register_kind

from .models import Need
from .selectors import need_list, queue_count, review_list, wishes_awaiting_review


def _kinds() -> None:
    register_kind(
        "needs.waiting",
        title=_("新诉求待派单：#{need_id} {item}"),
        body=_("{region}的劳动者提交了诉求，没有匹配的派单规则，请派单。"),
    )
    register_kind(
        "needs.dispatched",
        title=_("新诉求待接单：#{need_id} {item}"),
        body=_("已派给{department}，请在 {due} 前接单。"),
    )
    register_kind(
        "needs.declined",
        title=_("诉求被退回：#{need_id} {item}"),
        body=_("{office}退回了诉求：{reason}"),
    )
    register_kind(
        "needs.accepted",
        title=_("你的诉求已被受理"),
        body=_("{office}已接单，正在为你办理。"),
    )
    register_kind(
        "needs.resolved",
        title=_("你的诉求已办结，请评价"),
        body=_("{office}已办结你的诉求，请为这次服务打分。"),
    )
    register_kind(
        "needs.reopened",
        title=_("诉求被重新打开：#{need_id} {item}"),
        # Not the worker's words: a copy here would outlive their deletion of the account.
        body=_("劳动者对办理结果不满意，请在诉求详情中查看原因。"),
    )
    register_kind(
        "needs.review_opened",
        title=_("差评待复核：#{need_id} {item}"),
        body=_("劳动者只给了 {stars} 星，请回访复核。"),
    )
    register_kind(
        "needs.overdue_accept",
        title=_("超时未接单：#{need_id} {item}"),
        body=_("诉求已超过受理时限仍未接单，请督办。"),
    )
    register_kind(
        "needs.overdue_resolve",
        title=_("超时未办结：#{need_id} {item}"),
        body=_("{department}超过办结时限仍未办结，请督办。"),
    )
    register_kind(
        "wishes.pledged",
        title=_("你的微心愿被认领了"),
        body=_("{pledger}认领了“{title}”。实现后请确认。"),
    )
    register_kind(
        "wishes.fulfilled",
        title=_("微心愿已实现，谢谢你"),
        body=_("许愿人确认“{title}”已经实现。"),
    )
    register_kind(
        "wishes.approved",
        title=_("你的微心愿已上墙"),
        body=_("“{title}”通过审核，已展示在心愿墙上。"),
    )
    register_kind(
        "wishes.rejected",
        title=_("你的微心愿未通过审核"),
        body=_("“{title}”未能上墙：{reason}"),
    )
    register_kind(
        "wishes.lapsed",
        title=_("认领已超时"),
        body=_("“{title}”超过期限未实现，已回到心愿墙。"),
    )


def _count(user, *, states, action: str) -> int:
    return queue_count(actor=user, states=states) if can(user, action) else 0


def _overdue_count(user) -> int:
    return need_list(actor=user, overdue=True, now=timezone.now()).count()


def _review_count(user) -> int:
    return review_list(actor=user).count()


def _wish_review_count(user) -> int:
    return wishes_awaiting_review(actor=user).count()


def _sections() -> None:
    register_section(
        "needs_dispatch",
        label=_("派单队列"),
        url_name="needs_console:dispatch_queue",
        visible=lambda user: can(user, "need.dispatch"),
        order=20,
        badge=lambda user: _count(user, states=(Need.State.SUBMITTED,), action="need.dispatch"),
    )
    register_section(
        "needs_department",
        label=_("部门接单"),
        url_name="needs_console:department_queue",
        visible=lambda user: can(user, "need.accept"),
        order=21,
        badge=lambda user: _count(user, states=(Need.State.DISPATCHED,), action="need.accept"),
    )
    register_section(
        "needs_all",
        label=_("全部诉求"),
        url_name="needs_console:all",
        visible=lambda user: can(user, "need.view"),
        order=22,
    )
    register_section(
        "needs_overdue",
        label=_("超时督办"),
        url_name="needs_console:overdue",
        visible=lambda user: can(user, "need.dispatch"),
        order=23,
        badge=_overdue_count,
    )
    register_section(
        "needs_reviews",
        label=_("差评复核"),
        url_name="needs_console:reviews",
        visible=lambda user: can(user, "need_review.close"),
        order=24,
        badge=_review_count,
    )
    register_section(
        "needs_wish_review",
        label=_("心愿审核"),
        url_name="needs_console:wish_reviews",
        visible=lambda user: can(user, "wish.moderate"),
        order=24,
        badge=_wish_review_count,
    )
    register_section(
        "needs_problems",
        label=_("问题会商"),
        url_name="needs_console:problems",
        visible=lambda user: can(user, "problem.view"),
        order=25,
    )


def _h5() -> None:
    register_service_entry(
        "needs_menu",
        label=_("服务清单"),
        url_name="needs:menu",
        icon="📋",
        description=_("法律、健康、就业……点单求助"),
        order=10,
    )
    register_service_entry(
        "wishes_wall",
        label=_("微心愿"),
        url_name="needs:wall",
        icon="💌",  # not 积分兑换's 🎁: the two tiles sit side by side
        description=_("说出你的小心愿，爱心人士来认领"),
        order=15,
    )
    register_me_link("my_needs", label=_("我的诉求"), url_name="needs:mine", order=10)
    register_me_link("my_wishes", label=_("我的微心愿"), url_name="needs:my_wishes", order=11)


def register() -> None:
    _kinds()
    _sections()
    _h5()
