"""The staff console's coverage pages (服务圈覆盖), for region staff:

- the **map**: the region's communities shaded by the share of people within reach, the gap
  cells, the stations, with mode, minutes and a time slider ("open at" an hour of today), and
  the **siting tool** (k new sites among partners, community centres or cells, by people or
  demand, counting as covering only the stations open at a time of today and with an amenity
  when asked) whose sites appear on the map with their gains; with a siting the map shows the
  coverage it started from;
- the **community table**: sortable by share and by uncovered people, paged, as xlsx too;
- the siting suggestion as xlsx.

Who may see what is the selectors' business (`coverage_region_get` inside them): refusals
become the 403 and 404 pages; bad parameters stay on the page beside their fields.
"""

import io
from datetime import datetime, time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.i18n import localized
from dandelion.stations.selectors import amenity_list

from . import demand, selectors, siting_selectors
from .cells import cell_polygon

PAGE_SIZE = 25
GAPS_MAX = 6000  # gap cells drawn on the map; the table and the API have them all

MODES = [("walk", gettext_lazy("步行")), ("ebike", gettext_lazy("电动车"))]
CANDIDATES = [
    ("cells", gettext_lazy("网格（H3 9 级单元中心）")),
    ("communities", gettext_lazy("社区中心")),
    ("partners", gettext_lazy("合作点位（爱心商铺等）")),
]
WEIGHTS = [("population", gettext_lazy("常住人口")), ("demand", gettext_lazy("找驿站需求"))]
SORTS = {
    "share": ("share", False),
    "-share": ("share", True),
    "uncovered": ("uncovered", False),
    "-uncovered": ("uncovered", True),
}


class CoverageForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("区域"))
    mode = forms.ChoiceField(label=gettext_lazy("出行方式"), choices=MODES, initial="walk")
    minutes = forms.FloatField(
        label=gettext_lazy("分钟"), min_value=1, max_value=selectors.MINUTES_MAX, initial=15
    )
    at_hour = forms.IntegerField(
        label=gettext_lazy("开放于"), min_value=0, max_value=24, required=False, initial=24
    )

    def __init__(self, data, *, regions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class SitingForm(forms.Form):
    add = forms.IntegerField(
        label=gettext_lazy("新增站点数"),
        min_value=1,
        max_value=siting_selectors.ADD_MAX,
        required=False,
    )
    candidates = forms.ChoiceField(label=gettext_lazy("候选点"), choices=CANDIDATES, required=False)
    weight = forms.ChoiceField(label=gettext_lazy("权重"), choices=WEIGHTS, required=False)
    # Which existing stations already cover: the coverage API's `at` (a time of today here)
    # and `amenity`, so a night or battery-swap siting starts from those stations only.
    at = forms.TimeField(
        label=gettext_lazy("现有驿站开放于"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "data-testid": "siting-at"}, format="%H:%M"),
        help_text=gettext_lazy("今天的时刻；留空为不限时间"),
    )
    amenity = forms.ChoiceField(
        label=gettext_lazy("现有驿站需有设施"),
        required=False,
        widget=forms.Select(attrs={"data-testid": "siting-amenity"}),
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["amenity"].choices = [("", _("不限设施"))] + [
            (a.code, localized(a.name_zh, a.name_en)) for a in amenity_list()
        ]


def _today_at(moment: time | None) -> datetime | None:
    """A time of today as an aware local moment: what the console's "open at" means."""
    if moment is None:
        return None
    return timezone.make_aware(
        datetime.combine(timezone.localdate(), moment), timezone.get_current_timezone()
    )


def _params(request, regions):
    """The coverage form bound to the query (defaults filled in), and its clean values or None."""
    data = request.GET.copy()
    if regions and not data.get("region"):
        data["region"] = regions[0].code
    data.setdefault("mode", "walk")
    data.setdefault("minutes", "15")
    form = CoverageForm(data, regions=regions)
    if not form.is_valid():
        return form, None
    clean = dict(form.cleaned_data)
    hour = clean.get("at_hour")
    clean["at"] = _today_at(time(hour)) if hour is not None and hour < 24 else None
    return form, clean


def _siting_params(request, clean):
    """The siting form bound to the query, and its clean values ({} when it has errors). Its
    time starts at the map's "open at" hour when the query does not give one."""
    data = request.GET.copy()
    if "at" not in data and clean and clean["at"] is not None:
        data["at"] = timezone.localtime(clean["at"]).strftime("%H:%M")
    form = SitingForm(data)
    return form, (form.cleaned_data if form.is_valid() else {})


def _siting_run(request, clean: dict, siting_clean: dict):
    return siting_selectors.siting_suggest(
        actor=request.user,
        region_code=clean["region"],
        add=siting_clean["add"],
        mode=clean["mode"],
        minutes=clean["minutes"],
        candidates=siting_clean.get("candidates") or "cells",
        weight=siting_clean.get("weight") or "population",
        at=_today_at(siting_clean.get("at")),
        amenity=siting_clean.get("amenity") or None,
    )


def _siting_basis(siting, siting_form) -> str:
    """Which existing stations the siting counted as covering, in words."""
    at = timezone.localtime(siting.at).strftime("%H:%M") if siting.at else None
    amenity = dict(siting_form.fields["amenity"].choices).get(siting.amenity, siting.amenity)
    if at and siting.amenity:
        return _("已覆盖按今天 %(time)s 开放且有「%(amenity)s」的驿站计算") % {
            "time": at,
            "amenity": amenity,
        }
    if at:
        return _("已覆盖按今天 %(time)s 开放的驿站计算") % {"time": at}
    if siting.amenity:
        return _("已覆盖按有「%(amenity)s」的驿站计算") % {"amenity": amenity}
    return _("已覆盖按全部运营中的驿站计算")


def _demand_layer(request, siting) -> list[dict]:
    """The searches behind a `weight=demand` siting, as res-8 cell polygons with their counts."""
    if siting is None or siting.weight != "demand":
        return []
    found = demand.demand_of_region(
        actor=request.user, region_code=siting.region_code, days=siting.days or 30
    )
    return [
        {"geometry": cell_polygon(cell), "count": count} for cell, _lat, _lng, count in found.cells
    ]


def _map_config(coverage, boundaries, stations, siting, demand_cells=()) -> dict:
    gaps = coverage.gaps() if coverage else {"type": "FeatureCollection", "features": []}
    drawn = gaps["features"][:GAPS_MAX]
    communities = []
    if coverage:
        for community in coverage.communities:
            boundary = boundaries.get(community.code)
            if boundary is None:
                continue
            communities.append(
                {
                    "type": "Feature",
                    "geometry": boundary,
                    "properties": {
                        "code": community.code,
                        "name": community.name,
                        "share": community.share,
                        "population": community.population,
                        "covered_population": community.covered_population,
                    },
                }
            )
    return {
        "tiles": {
            "url": settings.MAP_TILE_URL,
            "subdomains": settings.MAP_TILE_SUBDOMAINS,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "coord": settings.MAP_TILE_COORD,
        },
        "defaultCenter": list(settings.MAP_DEFAULT_CENTER),
        "reach": coverage.reach_m if coverage else None,
        "communities": {"type": "FeatureCollection", "features": communities},
        "gaps": {"type": "FeatureCollection", "features": drawn},
        "stations": stations,
        "sites": [vars(site) for site in siting.sites] if siting else [],
        "demand": list(demand_cells),
        "messages": {
            "share": _("覆盖率"),
            "people": _("总人口"),
            "covered": _("覆盖人口"),
            "gap": _("未覆盖单元"),
            "site": _("建议站点"),
            "gain": _("新增覆盖"),
            "station": _("驿站"),
            "searches": _("找驿站次数"),
        },
    }


def _siting_query(clean: dict, siting_clean: dict) -> str:
    at = siting_clean.get("at")
    query = {
        "region": clean["region"],
        "mode": clean["mode"],
        "minutes": f"{clean['minutes']:g}",
        "add": siting_clean["add"],
        "candidates": siting_clean.get("candidates") or "cells",
        "weight": siting_clean.get("weight") or "population",
        "at": at.strftime("%H:%M") if at else "",
        "amenity": siting_clean.get("amenity") or "",
    }
    return urlencode(query)


@console_required
@require_GET
def coverage_map(request):
    regions = list(siting_selectors.coverage_regions(actor=request.user))
    form, clean = _params(request, regions)
    siting_form, siting_clean = _siting_params(request, clean)
    coverage = siting = None
    boundaries: dict = {}
    stations: list = []
    demand_cells: list = []
    if clean:
        try:
            if siting_clean.get("add"):
                siting = _siting_run(request, clean, siting_clean)
            region = selectors.coverage_region_get(actor=request.user, code=clean["region"])
            if siting is not None:
                # The map shows what the siting started from: its stations, its gaps.
                coverage = siting.coverage
            else:
                coverage = selectors.coverage_compute(
                    region=region, mode=clean["mode"], minutes=clean["minutes"], at=clean["at"]
                )
            boundaries = siting_selectors.community_boundaries(region=region)
            stations = siting_selectors.stations_around(coverage=coverage)
            demand_cells = _demand_layer(request, siting)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            # Beside the siting's own field (time, amenity) if it names one, else the filters'.
            named = {str(item.get("field", "")) for item in exc.errors}
            show_error(exc, form=siting_form if named & set(siting_form.fields) else form)
            coverage = siting = None
    return render(
        request,
        "coverage/console/map.html",
        {
            "form": form,
            "siting_form": siting_form,
            "coverage": coverage,
            "siting": siting,
            "siting_basis": _siting_basis(siting, siting_form) if siting else "",
            "siting_query": _siting_query(clean, siting_clean) if siting else "",
            "gaps_capped": coverage is not None and int((~coverage.cell_covered).sum()) > GAPS_MAX,
            "gaps_max": GAPS_MAX,
            "map_config": _map_config(coverage, boundaries, stations, siting, demand_cells),
            "table_query": urlencode(
                {
                    "region": clean["region"],
                    "mode": clean["mode"],
                    "minutes": f"{clean['minutes']:g}",
                }
                if clean
                else {}
            ),
            "no_regions": not regions,
        },
    )


def _community_rows(coverage, sort: str) -> list[dict]:
    rows = [
        {
            "code": c.code,
            "name": c.name,
            "population": c.population,
            "covered_population": c.covered_population,
            "uncovered": c.population - c.covered_population,
            "share": c.share,
            "cells": c.cells,
            "covered_cells": c.covered_cells,
            "nearest_m_p50": c.nearest_m_p50,
            "nearest_m_p90": c.nearest_m_p90,
        }
        for c in coverage.communities
    ]
    key, reverse_order = SORTS.get(sort, SORTS["share"])
    # Communities with no people (share unknown) go last whichever way the table is sorted.
    known = [r for r in rows if r[key] is not None]
    unknown = [r for r in rows if r[key] is None]
    known.sort(key=lambda r: (r[key], r["code"]), reverse=reverse_order)
    return known + unknown


COMMUNITY_COLUMNS = [
    ("code", gettext_lazy("区划代码")),
    ("name", gettext_lazy("社区")),
    ("population", gettext_lazy("总人口")),
    ("covered_population", gettext_lazy("覆盖人口")),
    ("uncovered", gettext_lazy("未覆盖人口")),
    ("share", gettext_lazy("覆盖率")),
    ("cells", gettext_lazy("单元数")),
    ("covered_cells", gettext_lazy("覆盖单元数")),
    ("nearest_m_p50", gettext_lazy("半数人口最近距离（米）")),
    ("nearest_m_p90", gettext_lazy("九成人口最近距离（米）")),
]


def _xlsx(filename: str, title: str, columns, rows) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(label) for _key, label in columns])
    for row in rows:
        sheet.append([row[key] for key, _label in columns])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_required
@require_GET
def coverage_communities(request):
    regions = list(siting_selectors.coverage_regions(actor=request.user))
    form, clean = _params(request, regions)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "share"
    rows: list[dict] = []
    coverage = None
    if clean:
        try:
            region = selectors.coverage_region_get(actor=request.user, code=clean["region"])
            coverage = selectors.coverage_compute(
                region=region, mode=clean["mode"], minutes=clean["minutes"], at=clean["at"]
            )
            rows = _community_rows(coverage, sort)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            show_error(exc, form=form)
    if clean and coverage is not None and request.GET.get("export") == "xlsx":
        return _xlsx(
            f"coverage-{coverage.region_code}.xlsx", _("社区覆盖"), COMMUNITY_COLUMNS, rows
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    base = {
        k: v for k, v in request.GET.items() if k in ("region", "mode", "minutes", "at_hour") and v
    }
    return render(
        request,
        "coverage/console/communities.html",
        {
            "form": form,
            "coverage": coverage,
            "page": page,
            "rows": page.object_list,
            "sort": sort,
            "base_query": urlencode(base),
            "sort_query": urlencode({**base, "sort": sort}),
            "no_regions": not regions,
        },
    )


SITE_COLUMNS = [
    ("order", gettext_lazy("顺序")),
    ("name", gettext_lazy("名称")),
    ("source", gettext_lazy("来源")),
    ("source_id", gettext_lazy("编号")),
    ("lat", gettext_lazy("纬度 (WGS-84)")),
    ("lng", gettext_lazy("经度 (WGS-84)")),
    ("gain", gettext_lazy("新增覆盖（权重）")),
    ("gain_population", gettext_lazy("新增覆盖人口")),
]


@console_required
@require_GET
def coverage_siting_xlsx(request):
    regions = list(siting_selectors.coverage_regions(actor=request.user))
    _form, clean = _params(request, regions)
    _siting_form, chosen = _siting_params(request, clean)
    if not clean or not chosen.get("add"):
        raise NotFound(_("没有这项内容。"))
    siting = _siting_run(request, clean, chosen)
    rows = [{"order": n, **vars(site)} for n, site in enumerate(siting.sites, start=1)]
    return _xlsx(f"siting-{siting.region_code}.xlsx", _("建议站点"), SITE_COLUMNS, rows)
