"""The certificate of volunteer hours (志愿服务时长证明), an A4 PDF drawn with reportlab in the
Chinese font of `core.pdf` (no font file is needed on the server)."""

import io

from django.conf import settings
from django.utils import timezone

from dandelion.core.pdf import chinese_font, paragraph_text

from .selectors import hours_of, total_minutes

TITLE = "志愿服务时长证明"


def certificate_pdf(*, user) -> bytes:
    """The worker's confirmed activities (date, activity, confirming organisation, hours) and
    the total, in Chinese (a certificate is a document for Chinese institutions)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rows = list(hours_of(user=user))
    total = total_minutes(user=user)
    profile = getattr(user, "worker_profile", None)
    name = (profile.real_name if profile and profile.real_name else "") or str(user)

    font = chinese_font()
    # Chinese has no spaces to break at: "CJK" wraps between any two characters.
    title_style = ParagraphStyle(
        "title", fontName=font, fontSize=22, leading=32, alignment=TA_CENTER
    )
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=11, leading=15, wordWrap="CJK")
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    issued_style = ParagraphStyle("issued", parent=body, alignment=TA_RIGHT)
    note = ParagraphStyle(
        "note", fontName=font, fontSize=9, leading=14, textColor=colors.HexColor("#787878")
    )

    table_rows = [
        [Paragraph(heading, cell) for heading in ("日期", "活动", "确认组织")]
        + [Paragraph("时长(小时)", number)]
    ]
    for attendance in rows:
        activity = attendance.activity
        table_rows.append(
            [
                Paragraph(timezone.localtime(activity.starts_at).strftime("%Y-%m-%d"), cell),
                Paragraph(paragraph_text(activity.title), cell),
                Paragraph(paragraph_text(activity.organisation.name), cell),
                Paragraph(f"{attendance.credited_minutes / 60:.1f}", number),
            ]
        )
    table = Table(table_rows, colWidths=[28 * mm, 70 * mm, 58 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )

    issued = timezone.localtime().strftime("%Y年%m月%d日")
    story = [
        Paragraph(TITLE, title_style),
        Spacer(1, 4 * mm),
        Paragraph(
            f"兹证明 {paragraph_text(name)} 参加志愿服务活动 {len(rows)} 次，"
            f"经活动组织方确认的志愿服务时长共计 {total / 60:.1f} 小时。明细如下：",
            body,
        ),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph(f"开具日期：{issued}", issued_style),
        Paragraph("本证明由蒲公英平台根据活动组织方确认的签到记录生成。", note),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=TITLE,
        author=getattr(settings, "SITE_NAME", "") or "蒲公英",
    ).build(story)
    return buffer.getvalue()
