"""Admin of report categories (with their extra questions), routing rules, Open311 API keys
(issued here: the key is shown once; revoked by an action) and a read-only view of reports.

Reports change only through the services (the console and the API), so here they are
read-only; categories, rules and keys are configuration for region admins and superusers.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dandelion.core.admin import PartOfParentInline, ScopedAdminMixin

from .models import ApiKey, CategoryAttribute, Report, ReportCategory, RoutingRule
from .services import api_key_issue, api_key_revoke


class CategoryAttributeInline(PartOfParentInline, admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = (
        "order",
        "code",
        "description",
        "description_en",
        "datatype",
        "datatype_description",
        "datatype_description_en",
        "required",
        "values",
    )


@admin.register(ReportCategory)
class ReportCategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "report_config.view"
    change_action = "report_config.change"
    add_action = "report_config.change"
    list_display = ("code", "name", "name_en", "region", "group", "order", "is_active")
    list_filter = ("is_active", "group")
    search_fields = ("code", "name", "name_en")
    inlines = [CategoryAttributeInline]
    autocomplete_fields = ()
    raw_id_fields = ("region",)

    def save_model(self, request, obj, form, change):
        obj.city_code = obj.region.city_code
        super().save_model(request, obj, form, change)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "report_config.view"
    change_action = "report_config.change"
    add_action = "report_config.change"
    delete_action = "report_config.change"
    list_display = ("region", "category", "organisation")
    raw_id_fields = ("region", "organisation")
    list_select_related = ("region", "category", "organisation")


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "report_config.view"
    change_action = "report_config.change"
    add_action = "report_config.change"
    list_display = ("name", "region", "key_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "region")
    raw_id_fields = ("region",)
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("name", "region") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        key, raw = api_key_issue(name=obj.name, region=obj.region, actor=request.user)
        obj.pk = key.pk
        self.message_user(
            request,
            gettext("新密钥（只显示这一次，请立即复制保存）：%(key)s") % {"key": raw},
            messages.WARNING,
        )

    @admin.action(description=_("吊销所选密钥"))
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key)
        self.message_user(request, gettext("已吊销。"))


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "report.view_staff"
    list_display = ("id", "category", "region", "organisation", "status", "source", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("category", "region", "organisation")
    exclude = ("reporter", "contact")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
