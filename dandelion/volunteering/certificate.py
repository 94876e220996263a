"""The certificate of volunteer hours (志愿服务时长证明), a PDF drawn with fpdf2.

Chinese needs a CJK font: fpdf2 embeds a subset of Noto Sans CJK from Debian's fonts-noto-cjk
(`.ttc` collections load by their face index). `CJK_FONT_PATHS` lists where it is looked for;
`CERTIFICATE_FONT` in the settings may name another TrueType/OpenType file.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import ServiceUnavailable

from .errors import VolunteeringError
from .selectors import hours_of, total_minutes

CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
# Face order inside NotoSansCJK-Regular.ttc: JP, KR, SC, TC, HK; SC draws mainland glyphs.
SIMPLIFIED_CHINESE_FACE = 2


class FontMissing(ServiceUnavailable):
    """No CJK font to draw the certificate with (install fonts-noto-cjk)."""

    default_code = VolunteeringError.CERTIFICATE_FONT_MISSING


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    configured = settings.CERTIFICATE_FONT
    if configured and Path(configured).exists():
        return configured, 0
    for path in CJK_FONT_PATHS:
        if Path(path).exists():
            face = SIMPLIFIED_CHINESE_FACE if "NotoSansCJK" in path else 0
            return path, face
    return None


def certificate_pdf(*, user) -> bytes:
    """The worker's confirmed activities (date, activity, confirming organisation, hours) and
    the total, in Chinese (a certificate is a document for Chinese institutions)."""
    from fpdf import FPDF

    font = cjk_font()
    if font is None:
        raise FontMissing(_("证书暂时无法生成，请稍后再试。"))
    path, face = font
    rows = list(hours_of(user=user))
    total = total_minutes(user=user)
    profile = getattr(user, "worker_profile", None)
    name = (profile.real_name if profile and profile.real_name else "") or str(user)

    pdf = FPDF(format="A4")
    pdf.set_title("志愿服务时长证明")
    pdf.set_author(getattr(settings, "SITE_NAME", "") or "蒲公英")
    kwargs = {"fname": path}
    if path.endswith(".ttc"):
        kwargs["collection_font_number"] = face
    pdf.add_font("cjk", **kwargs)
    bold = path.replace("-Regular", "-Bold")
    has_bold = bold != path and Path(bold).exists()
    if has_bold:
        pdf.add_font("cjk", style="B", **{**kwargs, "fname": bold})
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 16, "志愿服务时长证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.ln(4)
    pdf.multi_cell(
        0,
        8,
        f"兹证明 {name} 参加志愿服务活动 {len(rows)} 次，"
        f"经活动组织方确认的志愿服务时长共计 {total / 60:.1f} 小时。明细如下：",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    widths = (28, 70, 62, 20)
    with pdf.table(
        col_widths=widths, text_align=("LEFT", "LEFT", "LEFT", "RIGHT"), line_height=7
    ) as table:
        header = table.row()
        for title in ("日期", "活动", "确认组织", "时长(小时)"):
            header.cell(title)
        for attendance in rows:
            activity = attendance.activity
            row = table.row()
            row.cell(timezone.localtime(activity.starts_at).strftime("%Y-%m-%d"))
            row.cell(activity.title)
            row.cell(activity.organisation.name)
            row.cell(f"{attendance.credited_minutes / 60:.1f}")
    pdf.ln(8)
    issued = timezone.localtime().strftime("%Y年%m月%d日")
    pdf.cell(0, 8, f"开具日期：{issued}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(120)
    pdf.multi_cell(
        0, 6, "本证明由蒲公英平台根据活动组织方确认的签到记录生成。", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())
