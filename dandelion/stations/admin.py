"""Admin of stations, partner places and the amenity catalogue, with the station list's
import and export pages (导入/导出).

Saves here bypass the station services (the admin writes the form's instance itself), so
`save_model` recomputes the H3 cells and city code through `place_refresh_derived` first.

Access follows `core.permissions`: a place's region is chosen among the regions where the user
may add places (`station.add`, `partner_place.add`), so a region admin adds places only inside
their region; whoever may add none (a station manager) cannot move a place to another region.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dandelion.core.admin import PartOfParentInline, ScopedAdminMixin
from dandelion.core.errors import ApplicationError, InvalidInput
from dandelion.core.permissions import can
from dandelion.regions.selectors import Level as RegionLevel
from dandelion.regions.selectors import regions_by_code, regions_by_id

from .exporting import CONTENT_TYPES, stations_export
from .importing import stations_import
from .models import (
    Amenity,
    HoursException,
    OpeningInterval,
    PartnerPlace,
    Place,
    ServiceKind,
    Station,
    StationPhoto,
    StationServiceLog,
    StationVisit,
)
from .qr import station_visit_url
from .selectors import regions_for_new_places
from .services import place_refresh_derived, station_visit_code_rotate, visit_review
from .station_file import COLUMNS
from .tabular import MAX_DATA_ROWS, MAX_FILE_BYTES
from .widgets import MapPointWidget


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ("code", "icon", "name_zh", "name_en", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(ServiceKind)
class ServiceKindAdmin(admin.ModelAdmin):
    """The managed list of services a station may log (义诊, 法律咨询, 冰箱补给…)."""

    list_display = ("code", "name_zh", "name_en", "counts_bottles", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    search_fields = ("code", "name_zh", "name_en")


class OpeningIntervalForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("opens") == data.get("closes"):
            raise ValidationError(_("开门和关门时间不能相同（早于开门的关门时间表示次日）。"))
        return data


class HoursExceptionForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("closed"):
            data["opens"] = data["closes"] = None
        elif not data.get("opens") or not data.get("closes"):
            raise ValidationError(_("不是全天关闭时，请填写开门和关门时间。"))
        elif data["opens"] == data["closes"]:
            raise ValidationError(_("开门和关门时间不能相同。"))
        return data


class StationHoursInline(PartOfParentInline, admin.TabularInline):
    model = OpeningInterval
    form = OpeningIntervalForm
    fk_name = "station"
    exclude = ("partner",)
    extra = 0


class StationExceptionInline(PartOfParentInline, admin.TabularInline):
    model = HoursException
    form = HoursExceptionForm
    fk_name = "station"
    exclude = ("partner",)
    extra = 0


class PartnerHoursInline(StationHoursInline):
    fk_name = "partner"
    exclude = ("station",)


class PartnerExceptionInline(StationExceptionInline):
    fk_name = "partner"
    exclude = ("station",)


class StationPhotoInline(PartOfParentInline, admin.TabularInline):
    model = StationPhoto
    extra = 0


class PlaceForm(forms.ModelForm):
    """Adds the map that fills lat and lng; the map field itself holds no data."""

    map_point = forms.Field(label=_("在地图上选点"), required=False, widget=MapPointWidget())


class RegionLevelFilter(admin.SimpleListFilter):
    title = _("所在区划级别")
    parameter_name = "region_level"

    def lookups(self, request, model_admin):
        return RegionLevel.choices

    def queryset(self, request, queryset):
        return queryset.filter(region__level=self.value()) if self.value() else queryset


class DistrictFilter(admin.SimpleListFilter):
    """Stations inside a district (区/县), however deep their own region is."""

    title = _("所在区县")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        codes = {
            code[:6]
            for code in model_admin.model.objects.values_list("region__code", flat=True).distinct()
        }
        districts = regions_by_code(codes=codes, level=RegionLevel.DISTRICT)
        return [(r.code, r.name) for r in districts]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(region__code__startswith=self.value())


PLACE_LIST_FILTERS = ("status", "is_24h", RegionLevelFilter, DistrictFilter)
PLACE_SEARCH_FIELDS = ("name", "address", "region__name", "=region__code")
PLACE_READONLY_FIELDS = (
    "uuid",
    "city_code",
    "h3_r5",
    "h3_r7",
    "h3_r9",
    "created_at",
    "updated_at",
)
LOCATION_FIELDSET = (_("位置"), {"fields": ("address", ("lat", "lng"), "map_point")})
SYSTEM_FIELDSET = (_("系统字段"), {"fields": PLACE_READONLY_FIELDS, "classes": ("collapse",)})


class PlaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PlaceForm
    list_select_related = ("region",)
    search_fields = PLACE_SEARCH_FIELDS
    autocomplete_fields = ("region",)
    filter_horizontal = ("amenities",)
    readonly_fields = PLACE_READONLY_FIELDS

    def get_autocomplete_fields(self, request):
        # The region search answers from RegionAdmin, which scoped staff may not open; they pick
        # from a plain list of the regions of their scope instead.
        if request.user.is_superuser:
            return super().get_autocomplete_fields(request)
        return ()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_add_permission(request):
            # Moving a place into a region is adding it there.
            return (*readonly, "region")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        region = form.base_fields.get("region")
        if region is not None and not request.user.is_superuser:
            regions = regions_for_new_places(actor=request.user, action=self.add_action)
            if obj is not None:
                # A place may stay where it is, even outside the regions the user adds places in.
                regions = regions | regions_by_id(ids=[obj.region_id])
            region.queryset = regions.order_by("code")
        return form

    def save_model(self, request, obj, form, change):
        place_refresh_derived(place=obj)
        super().save_model(request, obj, form, change)


class StationImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})
    )
    only_valid = forms.BooleanField(
        label=_("只导入正确的行"), required=False, help_text=_("有错的行跳过并列出。")
    )
    dry_run = forms.BooleanField(
        label=_("只检查，不写入"), required=False, help_text=_("检查文件并统计结果。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "CSV 或 XLSX，不超过 %(size)d MB、%(rows)d 行。"
        ) % {
            "size": MAX_FILE_BYTES // (1024 * 1024),
            "rows": MAX_DATA_ROWS,
        }


COLUMN_HEADERS = {c.key: c.header for c in COLUMNS} | {"region": "区划代码"}


def _error_rows(errors: list[dict]) -> list[dict]:
    """Errors as table rows, in file order, with the column's header instead of its key."""
    rows = [
        {
            "line": e.get("line"),
            "column": COLUMN_HEADERS.get(e.get("field") or "", e.get("field") or gettext("文件")),
            "msg": e.get("msg", ""),
        }
        for e in errors
    ]
    return sorted(rows, key=lambda row: row["line"] or 0)


@admin.register(Station)
class StationAdmin(PlaceAdmin):
    # A station manager sees and edits their own station; a region admin sees, edits, adds and
    # imports the stations of their region; deleting stations stays with superusers.
    view_action = "station.view"
    change_action = "station.change"
    add_action = "station.add"

    list_display = ("name", "kind", "origin", "region", "status", "stars", "is_24h", "updated_at")
    list_filter = ("kind", "origin", *PLACE_LIST_FILTERS)
    search_fields = (*PLACE_SEARCH_FIELDS, "host_org_name")
    # Stars are awarded by assessments (`station_stars_set`), never typed in here.
    readonly_fields = (
        *PLACE_READONLY_FIELDS,
        "visit_poster",
        "stars",
        "stars_valid_until",
        "facts_confirmed_at",
    )
    inlines = (StationHoursInline, StationExceptionInline, StationPhotoInline)
    actions = ("rotate_visit_codes",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "origin", "status", "region", "host_org_name")}),
        LOCATION_FIELDSET,
        (
            _("服务"),
            {"fields": ("is_24h", "phone", ("area_m2", "seats"), "amenities", "notes")},
        ),
        (_("星级与核实"), {"fields": (("stars", "stars_valid_until"), "facts_confirmed_at")}),
        (_("打卡码"), {"fields": ("visit_poster",)}),
        SYSTEM_FIELDSET,
    )

    def get_fieldsets(self, request, obj=None):
        # The visit code (打卡码) and its poster are offered to whoever may print them.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and can(request.user, "station.print_poster", obj):
            return fieldsets
        return [f for f in fieldsets if f[1]["fields"] != ("visit_poster",)]

    @admin.display(description=_("打卡码与海报"))
    def visit_poster(self, obj: Station) -> str:
        if obj.pk is None or obj.status == Place.Status.CLOSED:
            return "—"
        return format_html(
            '<a href="{}">SVG</a> · <a href="{}">PNG</a> · <a href="{}" target="_blank">{}</a>'
            '<br><code>{}</code><br><span class="help">{}</span>',
            reverse("stations:qr_svg", args=[obj.pk]),
            reverse("stations:qr_png", args=[obj.pk]),
            reverse("stations:poster", args=[obj.pk]),
            gettext("打印海报"),
            station_visit_url(obj),
            gettext(
                "海报上的二维码含有本站的打卡密钥。海报外泄时，在驿站列表中选中本站，"
                "用“轮换打卡码”换新密钥并重新打印：旧海报立即失效。"
            ),
        )

    @admin.action(description=_("轮换打卡码（旧海报立即失效）"))
    def rotate_visit_codes(self, request, queryset):
        rotated = 0
        for station in queryset:
            try:
                station_visit_code_rotate(station=station, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{station.name}: {exc.message}", messages.ERROR)
            else:
                rotated += 1
        if rotated:
            self.message_user(
                request,
                gettext("已为 %(count)d 个驿站换了新打卡码，请重新打印海报。") % {"count": rotated},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="stations_station_import",
            ),
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="stations_station_export",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = StationImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("导入驿站"),
            "form": form,
            "columns": COLUMNS,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = stations_import(
                    data=upload.read(MAX_FILE_BYTES + 1),
                    filename=upload.name,
                    only_valid=form.cleaned_data["only_valid"],
                    dry_run=form.cleaned_data["dry_run"],
                    actor=request.user,
                )
            except InvalidInput as exc:
                context.update(failure=exc.message, error_rows=_error_rows(exc.errors))
            else:
                if not (report.dry_run or report.errors or report.warnings):
                    self.message_user(request, self._summary(report), messages.SUCCESS)
                    return redirect("admin:stations_station_changelist")
                context.update(report=report, error_rows=_error_rows(report.errors))
                context["summary"] = self._summary(report)
        return TemplateResponse(request, "admin/stations/station/import.html", context)

    @staticmethod
    def _summary(report) -> str:
        text = gettext(
            "共 %(rows)d 行：新建 %(created)d，更新 %(updated)d，未变 %(unchanged)d。"
        ) % {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.errors:
            skipped = len({e["line"] for e in report.errors})
            text += " " + gettext("跳过 %(count)d 行有误的数据。") % {"count": skipped}
        if report.dry_run:
            text = gettext("检查完成，未写入。") + " " + text
        return text

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if file_format not in CONTENT_TYPES or not self.has_view_permission(request):
            raise PermissionDenied
        # The export follows the list's current filters and search.
        try:
            stations = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return redirect("admin:stations_station_changelist")
        data = stations_export(stations=stations, file_format=file_format)
        filename = f"stations-{timezone.localdate():%Y%m%d}.{file_format}"
        return HttpResponse(
            data,
            content_type=CONTENT_TYPES[file_format],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


@admin.register(PartnerPlace)
class PartnerPlaceAdmin(PlaceAdmin):
    view_action = "partner_place.view"
    change_action = "partner_place.change"
    add_action = "partner_place.add"

    list_display = ("name", "kind", "region", "status", "is_24h", "updated_at")
    list_filter = ("kind", *PLACE_LIST_FILTERS)
    inlines = (PartnerHoursInline, PartnerExceptionInline)
    fieldsets = (
        (None, {"fields": ("name", "kind", "status", "region", "offer")}),
        LOCATION_FIELDSET,
        (_("服务"), {"fields": ("is_24h", "phone", "amenities")}),
        SYSTEM_FIELDSET,
    )


class VisitReviewFilter(admin.SimpleListFilter):
    title = _("核查")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("待核查")),
            ("accepted", _("核查通过")),
            ("rejected", _("核查未通过")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(flagged=True, reviewed_at__isnull=True)
        if self.value() == "accepted":
            return queryset.filter(flagged=False, reviewed_at__isnull=False)
        if self.value() == "rejected":
            return queryset.filter(flagged=True, reviewed_at__isnull=False)
        return queryset


@admin.register(StationVisit)
class StationVisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The visit log (驿站打卡), read-only: whether the device's location verified each visit,
    and the visits flagged as implausible travel, which the region admins accept (they earn
    their points then) or reject."""

    view_action = "station_visit.view"
    list_display = (
        "visited_at",
        "user",
        "station",
        "verified",
        "distance_m",
        "flagged",
        "flag_reason",
        "reviewed_by",
    )
    list_filter = (VisitReviewFilter, "flagged", "verified", "day")
    list_select_related = ("user", "station", "reviewed_by")
    search_fields = ("station__name", "=user__phone")
    date_hierarchy = "visited_at"
    actions = ("accept_visits", "reject_visits")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_review_permission(self, request) -> bool:
        return self._can(request, "station_visit.review")

    def _review(self, request, queryset, *, accept: bool) -> None:
        done = 0
        for visit in queryset.select_related("station__region"):
            try:
                visit_review(actor=request.user, visit=visit, accept=accept)
            except ApplicationError as exc:
                self.message_user(request, f"{visit}: {exc.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("已核查 %(count)d 条打卡。") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("核查通过（补发积分）"), permissions=["review"])
    def accept_visits(self, request, queryset):
        self._review(request, queryset, accept=True)

    @admin.action(description=_("核查未通过"), permissions=["review"])
    def reject_visits(self, request, queryset):
        self._review(request, queryset, accept=False)


@admin.register(StationServiceLog)
class StationServiceLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The stations' work logs, read-only here: entries are added through the console page or
    the API (`services.service_log_add`), which announce them to the figures."""

    view_action = "station_service.view"
    list_display = ("date", "station", "kind", "people_served", "bottles", "created_by")
    list_filter = ("kind", "date")
    list_select_related = ("station", "kind", "created_by")
    search_fields = ("station__name",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
