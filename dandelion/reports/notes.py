"""A status update's note in the reader's language. Notes are stored as written; the ones the
system writes (a confirmed fix, a duplicate) and the standard notes staff use are recognised and
translated at display time. A note a person typed otherwise is shown as it is. Old rows need no
migration."""

import re

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Standard notes, one per common move, and what the system writes itself.
STANDARD_NOTES = {
    "已受理，已派给处置单位。": _("已受理，已派给处置单位。"),
    "正在现场核查。": _("正在现场核查。"),
    "已安排维修，预计三天内完成。": _("已安排维修，预计三天内完成。"),
    "工作人员正在处置。": _("工作人员正在处置。"),
    "已处理完毕，请报告人确认。": _("已处理完毕，请报告人确认。"),
    "报告人确认已修复，办结。": _("报告人确认已修复，办结。"),
    "经核查已由街道统一清理，无需另行处置。": _("经核查已由街道统一清理，无需另行处置。"),
    "报告人确认已修复": _("报告人确认已修复"),
}
# What `report_mark_duplicate` writes when staff give no note (in Chinese by default).
_DUPLICATE = re.compile(r"与 #(\d+) 是同一问题，请关注 #\1。")


def note_in_english(note: str) -> str:
    """The note's English text for a notification's params (`note_en`), or "" when there is
    none (a typed note)."""
    with translation.override("en"):
        english = note_label(note)
    return english if english != note else ""


def note_label(note: str) -> str:
    """The note in the active language when the system or a standard note wrote it."""
    note = note or ""
    known = STANDARD_NOTES.get(note)
    if known is not None:
        return str(known)
    if match := _DUPLICATE.fullmatch(note):
        return gettext("与 #%(id)s 是同一问题，请关注 #%(id)s。") % {"id": match.group(1)}
    return note
