"""The staff console's station pages (我的驿站): the stations whose work log a person keeps
(their station as its manager, every station of their region as its admin), and for each one
its facts (area, seats, when last confirmed, the "信息已核实" button) and its work log: a form
to log a service held and the log itself, paged.

Who may do what is the selectors' and services' business: a station outside the caller's scope
is a 404 page; a refused entry comes back with the caller's input kept and the error beside its
field."""

import uuid

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.i18n import localized
from dandelion.core.permissions import can

from . import selectors, services

PAGE_SIZE = 20


class ServiceLogForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("服务类型"))
    people_served = forms.IntegerField(
        label=gettext_lazy("服务人数"), min_value=0, max_value=100_000, initial=0
    )
    bottles = forms.IntegerField(
        label=gettext_lazy("发放瓶数"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=gettext_lazy("仅冰箱补给填写。"),
    )
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=255)
    photo = forms.ImageField(label=gettext_lazy("照片（可选）"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.code, localized(k.name_zh, k.name_en)) for k in selectors.service_kinds()
        ]


class FactsForm(forms.Form):
    area_m2 = forms.IntegerField(
        label=gettext_lazy("面积 (m²)"), required=False, min_value=0, max_value=100_000
    )
    seats = forms.IntegerField(
        label=gettext_lazy("座位数"), required=False, min_value=0, max_value=10_000
    )


def _station(request, station_id: int, action: str = "station_service.log"):
    return selectors.station_for_work_log(user=request.user, station_id=station_id, action=action)


def _page(request, station, *, log_form=None, facts_form=None, status=200):
    log = Paginator(selectors.service_log_list(station=station), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    return render(
        request,
        "stations/console/station.html",
        {
            "station": station,
            "log": log,
            "log_form": log_form
            or ServiceLogForm(initial={"date": today, "idempotency_key": uuid.uuid4().hex}),
            "facts_form": facts_form
            or FactsForm(initial={"area_m2": station.area_m2, "seats": station.seats}),
            "may_change": can(request.user, "station.change", station),
            "summary": selectors.station_services_summary(
                station=station, since=today.replace(day=1), until=today
            ),
        },
        status=status,
    )


@console_required
@require_GET
def station_list(request):
    text = (request.GET.get("q") or "").strip()[:100]
    stations = selectors.stations_for_work_log(user=request.user, text=text)
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stations/console/stations.html", {"page": page, "q": text})


@console_required
@require_GET
def station_detail(request, station_id: int):
    return _page(request, _station(request, station_id))


@console_required
@require_POST
def station_log_add(request, station_id: int):
    station = _station(request, station_id)
    form = ServiceLogForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, station, log_form=form, status=422)
    data = form.cleaned_data
    try:
        entry, created = services.service_log_add(
            actor=request.user,
            station=station,
            day=data["date"],
            kind_code=data["kind"],
            people_served=data["people_served"],
            bottles=data["bottles"],
            note=data["note"],
            photo=data["photo"],
            idempotency_key=data["idempotency_key"],
        )
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        show_error(exc, form=form)
        return _page(request, station, log_form=form, status=exc.status)
    if created:
        messages.success(
            request,
            _("已记录：%(date)s %(kind)s") % {"date": entry.date, "kind": form_kind(form)},
        )
    return redirect(reverse("stations_console:station", args=[station.pk]) + "#work-log")


def form_kind(form: ServiceLogForm) -> str:
    return dict(form.fields["kind"].choices).get(form.cleaned_data["kind"], "")


@console_required
@require_http_methods(["POST"])
def station_facts(request, station_id: int):
    station = _station(request, station_id)
    confirm_only = request.POST.get("action") == "confirm"
    try:
        if confirm_only:
            services.station_facts_confirm(station=station, actor=request.user)
            messages.success(request, _("已记录：驿站信息已核实。"))
        else:
            form = FactsForm(request.POST)
            if not form.is_valid():
                return _page(request, station, facts_form=form, status=422)
            services.station_facts_update(
                station=station,
                actor=request.user,
                area_m2=form.cleaned_data["area_m2"],
                seats=form.cleaned_data["seats"],
                confirm=request.POST.get("confirm") == "1",
            )
            messages.success(request, _("已保存面积和座位数。"))
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        form = FactsForm(request.POST)
        form.is_valid()
        show_error(exc, form=form)
        return _page(request, station, facts_form=form, status=exc.status)
    return redirect(reverse("stations_console:station", args=[station.pk]))
