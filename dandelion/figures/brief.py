"""The monthly brief (工作简报): what an office sends up the line for a region and a month — the
headline figures against the previous month, the top report categories, and the problems raised
and solved. `brief_context` builds it from two months of figures; the console shows it as a
printable page and `brief_pdf` draws the same numbers as a PDF.

The PDF is drawn with reportlab in the Chinese font of `core.pdf` (the built-in CID font
STSong-Light), so no font file is needed on the server.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from dandelion.core.pdf import chinese_font, paragraph_text

from .exports import figure_value, level_label
from .schemas import FiguresOut

# The figures the brief compares month on month, in its order.
BRIEF_FIGURES = (
    ("stations.total", gettext_lazy("驿站总数")),
    ("workers.registered", gettext_lazy("累计报到人数")),
    ("workers.registered_in_period", gettext_lazy("本月新报到")),
    ("visits.count", gettext_lazy("打卡人次")),
    ("visits.workers", gettext_lazy("打卡人数")),
    ("needs.submitted", gettext_lazy("点单数")),
    ("needs.resolved", gettext_lazy("点单办结")),
    ("needs.resolved_on_time", gettext_lazy("按时办结")),
    ("needs.rating_avg", gettext_lazy("平均评分")),
    ("wishes.posted", gettext_lazy("微心愿发布")),
    ("wishes.fulfilled", gettext_lazy("微心愿实现")),
    ("reports.submitted", gettext_lazy("随手拍提交")),
    ("reports.fixed", gettext_lazy("随手拍已修复")),
    ("reports.median_hours_to_fix", gettext_lazy("修复用时中位数（小时）")),
    ("volunteering.volunteers", gettext_lazy("志愿者人数")),
    ("volunteering.activities", gettext_lazy("志愿活动")),
    ("volunteering.hours", gettext_lazy("志愿服务时长（小时）")),
    ("points.issued", gettext_lazy("发放积分")),
    ("points.redemptions", pgettext_lazy("figures", "积分兑换")),
    ("party.reregistered", gettext_lazy("流动党员归队")),
)
TOP_CATEGORIES = 5


def _number(value) -> str:
    """Grouped by thousands in either language, as official reports print them."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def _change(value, before) -> dict:
    """The change from `before` to `value`: the difference, and the percentage when the
    previous month had something to compare with."""
    if value is None or before is None:
        return {"difference": None, "percent": None, "text": "—", "direction": "same"}
    difference = value - before
    if isinstance(difference, float):
        difference = round(difference, 1)
    percent = round(difference * 100 / before, 1) if before else None
    sign = "+" if difference > 0 else ""
    text = f"{sign}{_number(difference)}"
    if percent is not None:
        text += f" ({sign}{percent:.1f}%)"
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    return {"difference": difference, "percent": percent, "text": text, "direction": direction}


def brief_context(*, current: FiguresOut, previous: FiguresOut) -> dict:
    """What the brief says: `current` is the month's figures, `previous` the month before's."""
    rows = []
    for path, label in BRIEF_FIGURES:
        value = figure_value(current, path)
        before = figure_value(previous, path)
        rows.append(
            {
                "key": path,
                "label": str(label),
                "value": value,
                "previous": before,
                "value_text": _number(value),
                "previous_text": _number(before),
                "change": _change(value, before),
            }
        )
    categories = sorted(current.reports.by_category, key=lambda row: (-row.value, row.key))
    categories = [row for row in categories if row.value > 0][:TOP_CATEGORIES]
    total = current.reports.submitted
    top = [
        {
            "key": row.key,
            "label": row.label,
            "value": row.value,
            "share": round(row.value * 100 / total, 1) if total else None,
        }
        for row in categories
    ]
    return {
        "region": current.region,
        "level_label": level_label(current.level),
        "month": current.date_from.strftime("%Y-%m"),
        "previous_month": previous.date_from.strftime("%Y-%m"),
        "date_from": current.date_from,
        "date_to": current.date_to,
        "rows": rows,
        "top_categories": top,
        "reports_submitted": total,
        "problems": {
            "raised": current.problems.raised,
            "solved": current.problems.solved,
            "raised_before": previous.problems.raised,
            "solved_before": previous.problems.solved,
        },
    }


def brief_pdf(brief: dict, *, site_name: str = "") -> bytes:
    """The brief as an A4 PDF, in the reader's language."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = chinese_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=20, leading=28, alignment=1)
    sub_style = ParagraphStyle("sub", fontName=font, fontSize=11, leading=16, alignment=1)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=14, leading=20, spaceBefore=10)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16)
    small = ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12, textColor=colors.grey)

    region = brief["region"]
    title = _("工作简报")
    heading = _("%(region)s · %(month)s") % {
        "region": paragraph_text(region.name),
        "month": brief["month"],
    }
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{title} {region.name} {brief['month']}",
        author=site_name,
    )
    table_style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 10),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef6f0")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#07c160")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    story = [
        Paragraph(title, title_style),
        Paragraph(heading, sub_style),
        Paragraph(
            _("%(level)s %(code)s，统计期 %(start)s 至 %(end)s，与上月（%(previous)s）对比")
            % {
                "level": brief["level_label"],
                "code": region.code,
                "start": brief["date_from"].isoformat(),
                "end": brief["date_to"].isoformat(),
                "previous": brief["previous_month"],
            },
            sub_style,
        ),
        Spacer(1, 6 * mm),
        Paragraph(_("一、主要数据"), h2),
    ]
    figures = [[_("指标"), _("本月"), _("上月"), _("变化")]]
    figures += [
        [row["label"], row["value_text"], row["previous_text"], row["change"]["text"]]
        for row in brief["rows"]
    ]
    table = Table(figures, colWidths=[70 * mm, 30 * mm, 30 * mm, 44 * mm], repeatRows=1)
    table.setStyle(table_style)
    story.append(table)

    story.append(Paragraph(_("二、随手拍主要类别"), h2))
    if brief["top_categories"]:
        categories = [[_("类别"), _("数量"), _("占比")]]
        categories += [
            [
                row["label"],
                _number(row["value"]),
                "—" if row["share"] is None else f"{row['share']}%",
            ]
            for row in brief["top_categories"]
        ]
        table = Table(categories, colWidths=[90 * mm, 40 * mm, 44 * mm], repeatRows=1)
        table.setStyle(table_style)
        story.append(table)
    else:
        story.append(Paragraph(_("本月没有随手拍。"), body))

    problems = brief["problems"]
    story.append(Paragraph(_("三、会商问题"), h2))
    story.append(
        Paragraph(
            _(
                "本月提出问题 %(raised)s 个，解决 %(solved)s 个（上月提出 %(raised_before)s 个，"
                "解决 %(solved_before)s 个）。"
            )
            % {key: _number(value) for key, value in problems.items()},
            body,
        )
    )
    story.append(Spacer(1, 8 * mm))
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    story.append(
        Paragraph(
            _("%(site)s 根据平台记录生成于 %(time)s。")
            % {"site": paragraph_text(site_name or _("蒲公英")), "time": generated},
            small,
        )
    )
    document.build(story)
    return buffer.getvalue()
