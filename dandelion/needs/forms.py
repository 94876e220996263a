"""Turning service errors into sentences beside the fields of the H5 and console forms."""

from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import ApplicationError, InvalidInput
from dandelion.core.photos import photo_error_text

from .photos import MAX_PHOTOS

# The services' stable field messages → what a person reads.
MESSAGES = {
    "describe what you need": _("请描述你的诉求"),
    "at most 2000 characters": _("最多 2000 字"),
    "at most 200 characters": _("最多 200 字"),
    "at most 500 characters": _("最多 500 字"),
    "check in first, or give the street the need is in": _("请先完成在线报到"),
    "check in first so the wish has a street": _("请先完成在线报到"),
    "no such region": _("请选择街道"),
    "this item is not offered where you are": _("你所在的街道暂不提供这项服务"),
    "this item needs a place": _("这项服务需要填写地点"),
    "unknown item": _("请从服务清单中选择"),
    "required": _("此项为必填项"),
    "1 to 5": _("请选择 1 到 5 星"),
    "up to 5 tags of at most 20 characters": _("最多 5 个标签"),
    "2 to 60 characters": _("请填写 2 到 60 个字"),
    "already published as a wish": _("这条诉求已经发布为微心愿"),
    "2 to 120 characters": _("请填写 2 到 120 个字"),
    "volunteer, organisation or merchant": _("请选择认领方"),
    "outside your region": _("该部门不在你的辖区"),
    "already routed there": _("诉求已经在该部门"),
    "not active": _("该部门已停用"),
    "at least one department": _("请至少选择一个部门"),
    "must be one of the departments": _("牵头部门须是参会部门之一"),
    "solved or unsolved": _("请选择结论"),
}

CONFLICTS = {
    "need_illegal_transition": _("诉求当前状态不允许这个操作，请刷新页面。"),
    "need_reopen_window_passed": _("办结已超过 7 天，不能再重新打开。"),
    "wish_illegal_transition": _("心愿当前状态不允许这个操作，请刷新页面。"),
    "wish_already_pledged": _("刚刚有人认领了这个心愿。"),
    "own_wish": _("不能认领自己的心愿。"),
    "pledge_not_active": _("这次认领已经结束。"),
    "problem_closed": _("这个问题已有结论。"),
    "review_closed": _("这条复核已经完成。"),
    "permission_denied": _("你没有权限进行这个操作。"),
}


def field_errors(exc: ApplicationError) -> dict[str, str]:
    """{field: sentence}; errors not tied to a field go under ''."""
    if isinstance(exc, InvalidInput) and exc.errors:
        errors: dict[str, str] = {}
        for error in exc.errors:
            field = error.get("field", "")
            msg = error.get("msg", "")
            if field.startswith("photos"):  # photos[1] shows beside the photos input
                field = "photos"
                msg = photo_error_text(exc.code, max_photos=MAX_PHOTOS) or msg
            errors.setdefault(field, str(MESSAGES.get(msg, msg)))
        return errors
    return {"": str(CONFLICTS.get(exc.code, exc.message))}
