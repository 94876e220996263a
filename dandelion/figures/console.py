"""The figures dashboard (工作数据) in the staff console, under /console/figures/: the region
admin's and auditor's home. Headline tiles, monthly trends, breakdowns by child region (click
one to drill down: district → street → community) and by category, a period picker with
presets; every table as an xlsx workbook or a CSV file; the monthly brief (工作简报) as a
printable page and a PDF.

Which region a person may read and which period they asked for are decided by the figures
selectors (`figures_region`: `figures.view` over a region subtree; `figures_period`), as for the
API; the numbers come from `selectors.figures_compute`, read from the roll-ups. A refused period
lands beside the picker with what was typed kept.
"""

from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError
from dandelion.core.forms import show_error

from . import dashboard_selectors, selectors
from .brief import brief_context, brief_pdf
from .exports import (
    HEADLINE,
    HEADLINE_PATHS,
    cell_text,
    csv_bytes,
    figure_value,
    figures_tables,
    level_label,
    table_by_key,
    workbook_bytes,
)
from .periods import (
    PRESETS,
    last_complete_month,
    month_bounds,
    month_too_old,
    preset_bounds,
    previous_month,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today(region) -> date:
    return timezone.localdate(timezone=ZoneInfo(region.timezone or settings.TIME_ZONE))


class PeriodForm(forms.Form):
    """The period picker: from/to days (inclusive), or a preset. `from` and `to` are the API's
    parameter names too, so a dashboard address and an API call read alike. Without `to` the
    period ends today; without `from` it starts on the first of `to`'s month."""

    # A preset fills `from` and `to` before the form is read; an unknown one is ignored.
    preset = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(
            label=_("起始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("截止日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )


def _period(request, region):
    """The period asked for: `(form, date_from, date_to)`, the dates None when the form has
    errors (the form keeps what was typed and says why)."""
    data = request.GET.copy()
    bounds = preset_bounds(data.get("preset", ""), _today(region))
    if bounds:
        data["from"], data["to"] = (day.isoformat() for day in bounds)
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None, None
    try:
        date_from, date_to = selectors.figures_period(
            region=region, date_from=form.cleaned_data["from"], date_to=form.cleaned_data["to"]
        )
    except ApplicationError as exc:
        show_error(exc, form=form)
        return form, None, None
    return form, date_from, date_to


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _chart_data(figures, *, children: list[dict]) -> dict:
    return {
        "metrics": [{"key": key, "label": str(label)} for key, label, _kind in HEADLINE],
        "series": {
            "months": [row.month for row in figures.series],
            "values": {
                key: [getattr(row, key) for row in figures.series] for key, _l, _k in HEADLINE
            },
        },
        "regions": [
            {
                "code": child["row"].region.code,
                "name": child["row"].region.name,
                "url": child["url"],
                "values": {key: getattr(child["row"], key) for key, _l, _k in HEADLINE},
            }
            for child in children
        ],
        "categories": [
            {"key": row.key, "label": row.label, "value": row.value}
            for row in figures.reports.by_category
        ],
    }


@console_required
@require_GET
def dashboard(request):
    region = selectors.figures_region(actor=request.user, code=request.GET.get("region") or None)
    trail = dashboard_selectors.figures_trail(actor=request.user, region=region)
    form, date_from, date_to = _period(request, region)
    base = reverse("figures_console:dashboard")
    dates = {"from": date_from.isoformat(), "to": date_to.isoformat()} if date_from else {}
    context = {
        "region": region,
        "level_label": level_label(region.level),
        "trail_links": [
            {"region": r, "url": f"{base}?{_query(region=r.code, **dates)}"} for r in trail
        ],
        "form": form,
        "presets": PRESETS,
        "figures": None,
    }
    if date_from is None:
        context["inputs"] = {"from": form.data.get("from", ""), "to": form.data.get("to", "")}
        return render(request, "figures/console/dashboard.html", context, status=400)
    context["inputs"] = dates
    figures = selectors.figures_compute(region=region, date_from=date_from, date_to=date_to)
    tables = {table.key: table for table in figures_tables(figures)}
    children = [
        {
            "row": row,
            "url": f"{base}?{_query(region=row.region.code, **dates)}",
            "level_label": level_label(row.level),
        }
        for row in figures.by_region
    ]
    context.update(
        figures=figures,
        date_from=date_from,
        date_to=date_to,
        query=_query(region=region.code, **dates),
        tiles=[
            {
                "key": key,
                "label": label,
                "text": cell_text(figure_value(figures, HEADLINE_PATHS[key]), kind),
            }
            for key, label, kind in HEADLINE
        ],
        tables=tables,
        extra_tables=[
            table
            for key, table in tables.items()
            if key not in ("overview", "series", "by_region", "reports_by_category")
        ],
        region_rows=[
            {"child": child, "cells": cells}
            for child, cells in zip(children, tables["by_region"].display_rows, strict=True)
        ],
        chart=_chart_data(figures, children=children),
        brief_query=_query(region=region.code, month=date_to.strftime("%Y-%m")),
    )
    return render(request, "figures/console/dashboard.html", context)


def _export_figures(request):
    region = selectors.figures_region(actor=request.user, code=request.GET.get("region") or None)
    _form, date_from, date_to = _period(request, region)
    if date_from is None:
        return region, None, None, None
    figures = selectors.figures_compute(region=region, date_from=date_from, date_to=date_to)
    return region, figures, date_from, date_to


def _filename(region, date_from: date, date_to: date, suffix: str) -> str:
    return f"figures-{region.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}{suffix}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_period() -> HttpResponse:
    return HttpResponse(
        _("统计期有误，请回到数据页修改。"), status=400, content_type="text/plain; charset=utf-8"
    )


@console_required
@require_GET
def export_xlsx(request):
    region, figures, date_from, date_to = _export_figures(request)
    if figures is None:
        return _bad_period()
    about = [
        (_("地区"), region.name),
        (_("区划代码"), region.code),
        (_("级别"), level_label(region.level)),
        (_("起始日"), date_from),
        (_("截止日"), date_to),
        (_("时区"), figures.time_zone),
    ]
    data = workbook_bytes(figures_tables(figures), about=about)
    return _attachment(data, XLSX, _filename(region, date_from, date_to, ".xlsx"))


@console_required
@require_GET
def export_csv(request, table: str):
    region, figures, date_from, date_to = _export_figures(request)
    if figures is None:
        return _bad_period()
    found = table_by_key(figures_tables(figures), table)
    if found is None:
        raise Http404
    return _attachment(
        csv_bytes(found),
        "text/csv; charset=utf-8",
        _filename(region, date_from, date_to, f"-{table}.csv"),
    )


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("月份"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("请按“年-月”填写月份，例如 2026-11。")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )


def _brief(request):
    """The region, the month form and the brief (None when the month has errors)."""
    region = selectors.figures_region(actor=request.user, code=request.GET.get("region") or None)
    form = MonthForm(request.GET)
    today = _today(region)
    if not form.is_valid():
        return region, form, None
    month = form.cleaned_data["month"] or last_complete_month(today)
    if month_too_old(month, today):
        form.add_error("month", _("只能查看近十年的简报。"))
        return region, form, None
    first, last = month_bounds(month)
    if first > today:
        form.add_error("month", _("这个月还没有开始。"))
        return region, form, None
    current = selectors.figures_compute(region=region, date_from=first, date_to=min(last, today))
    before_first, before_last = month_bounds(previous_month(month))
    previous = selectors.figures_compute(region=region, date_from=before_first, date_to=before_last)
    return region, form, brief_context(current=current, previous=previous)


@console_required
@require_GET
def brief_page(request):
    region, form, brief = _brief(request)
    context = {
        "region": region,
        "form": form,
        "brief": brief,
        "month_input": brief["month"] if brief else form.data.get("month", ""),
        "dashboard_url": reverse("figures_console:dashboard") + "?" + _query(region=region.code),
    }
    if brief is None:
        return render(request, "figures/console/brief.html", context, status=400)
    context["pdf_query"] = _query(region=region.code, month=brief["month"])
    return render(request, "figures/console/brief.html", context)


@console_required
@require_GET
def brief_download(request):
    region, _form, brief = _brief(request)
    if brief is None:
        return _bad_period()
    data = brief_pdf(brief, site_name=str(getattr(settings, "SITE_NAME", "")))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brief-{region.code}-{brief["month"]}.pdf"'
    return response
