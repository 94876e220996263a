"""Admin pages that respect the same scopes as the API, and the read-only audit log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .permissions import can, scope_queryset

# The admin's own words, not Django's ("Django 管理").
admin.site.site_header = _("蒲公英管理后台")
admin.site.site_title = _("蒲公英管理后台")
admin.site.index_title = _("数据管理")


class ScopedAdminMixin:
    """A ModelAdmin whose lists, pages and buttons follow `core.permissions`, not Django's
    per-model permission table. Set the actions; None means superusers only."""

    view_action: str | None = None
    change_action: str | None = None
    add_action: str | None = None
    delete_action: str | None = None

    def _can(self, request, action: str | None, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        return action is not None and can(request.user, action, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.view_action is None:
            return queryset if request.user.is_superuser else queryset.none()
        return scope_queryset(request.user, self.view_action, queryset)

    def has_module_permission(self, request) -> bool:
        return self._can(request, self.view_action)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._can(request, self.view_action, obj) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._can(request, self.change_action, obj)

    def has_add_permission(self, request) -> bool:
        return self._can(request, self.add_action)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._can(request, self.delete_action, obj)


class PartOfParentInline:
    """An inline whose rows are part of the object above them (a place's hours, exceptions and
    photos): whoever may view that object sees them, and whoever may change it (or add one, on
    the add page) adds, changes and deletes them. Django's per-model table does not apply, as
    for the object itself (`ScopedAdminMixin`)."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _may_edit(self, request, obj) -> bool:
        parent = self._parent_admin()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "audit.view"
    list_display = (
        "created_at",
        "actor",
        "action",
        "field",
        "subject_shown",
        "target_type",
        "region_code",
    )
    list_filter = ("action", "category")
    search_fields = ("action", "field", "target_type", "target_id", "region_code")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "subject")

    @admin.display(description=_("涉及的人"))
    def subject_shown(self, obj: AuditEvent) -> str:
        # Whose party membership was read is itself party membership.
        if obj.category == AuditEvent.Category.PARTY:
            return "—"
        return str(obj.subject) if obj.subject_id else ""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.category == AuditEvent.Category.PARTY:
            return [f for f in fields if f not in {"subject", "target_id"}]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
