"""Ledger memos in the reader's language. Memos are stored as written when the points moved
(Chinese, e.g. "驿站打卡 · 江滨驿站" or a rule's event name); the ones the system writes are
recognised here and translated at display time, with the name after " · " kept as stored. A memo
a person typed (a reversal's reason) is shown as it is. Old rows need no migration."""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models.rules import EarningRule

SEPARATOR = " · "

# Memos the system writes, word for word (the rules' event names are added below).
_WHOLE: dict[str, Promise] = {
    "随手拍被采纳": _("随手拍被采纳"),
    "评价诉求办理": _("评价诉求办理"),
    "发放额度": _("发放额度"),
}
# Memos the system writes as "<what> · <name>".
_PREFIX: dict[str, Promise] = {
    "驿站打卡": _("驿站打卡"),
    "志愿服务": _("志愿服务"),
}


def _event_labels() -> dict[str, Promise]:
    # A rule's event name is stored in Chinese (awards are made in the default language).
    with translation.override(settings.LANGUAGE_CODE):
        return {str(label): label for label in EarningRule.Event.labels}


def memo_label(memo: str) -> str:
    """The memo in the active language when the system wrote it; otherwise as stored."""
    memo = memo or ""
    known = _WHOLE.get(memo) or _event_labels().get(memo)
    if known is not None:
        return str(known)
    head, sep, tail = memo.partition(SEPARATOR)
    if sep and head in _PREFIX:
        return f"{_PREFIX[head]}{SEPARATOR}{tail}"
    return memo
