"""Open data (公开数据) at /open-data/: anyone may read a region's aggregate figures for a month
that has ended, browse down the regions, and download each table as CSV. What is published and
what is withheld is `open_data`'s one rule."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dandelion.core.errors import ApplicationError
from dandelion.core.forms import show_error

from . import open_data
from .exports import csv_bytes, table_by_key


class OpenDataForm(forms.Form):
    region = forms.RegexField(
        regex=r"^\d{6}(\d{3}){0,2}$",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("区划代码有误。")},
    )
    month = forms.RegexField(
        label=_("月份"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("请按“年-月”填写月份，例如 2026-11。")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )


def _open_data(request):
    """The form and the open data (None when the input has errors)."""
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        data = open_data.open_data_get(
            region_code=form.cleaned_data["region"] or None,
            month=form.cleaned_data["month"] or None,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        show_error(exc, form=form)
        return form, None
    return form, data


@require_GET
def open_data_page(request):
    form, data = _open_data(request)
    context = {"form": form, "data": data, "month": form.data.get("month", "")}
    if data is None:
        return render(request, "figures/open_data.html", context, status=400)
    base = reverse("figures:open_data")
    month = context["month"] = data["month"]
    tables = {t.key: t for t in open_data.open_tables(data)}
    context.update(
        tables=tables,
        query=urlencode({"region": data["region"]["code"], "month": month}),
        region_rows=[
            {
                "url": f"{base}?{urlencode({'region': row['region']['code'], 'month': month})}",
                "cells": cells,
            }
            for row, cells in zip(data["by_region"], tables["by_region"].display_rows, strict=True)
        ],
        figure_rows=list(zip(data["figures"], tables["figures"].display_rows, strict=True)),
        breakdowns=[t for key, t in tables.items() if key not in ("figures", "by_region")],
    )
    return render(request, "figures/open_data.html", context)


@require_GET
def open_data_csv(request, table: str):
    _form, data = _open_data(request)
    if data is None:
        return HttpResponse(
            _("月份或区划代码有误。"), status=400, content_type="text/plain; charset=utf-8"
        )
    found = table_by_key(open_data.open_tables(data), table)
    if found is None:
        raise Http404
    response = HttpResponse(csv_bytes(found), content_type="text/csv; charset=utf-8")
    name = f"open-data-{data['region']['code']}-{data['month']}-{table}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
