"""The Django admin's read-only view of standards, assessments, spot checks and vetoes applied,
scoped like the console. Every change goes through the console and the services (the workflow,
the audit of overrides), so the admin changes nothing here."""

from django.contrib import admin

from dandelion.core.admin import ScopedAdminMixin

from .models import Assessment, AssessmentEvent, AssessmentRound, Standard


class ReadOnly(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "assessment.view"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Standard)
class StandardAdmin(ReadOnly):
    view_action = "standard.view"
    list_display = ("name", "region", "version", "status", "published_at")
    list_filter = ("status",)


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnly):
    list_display = ("name", "region", "opened_at", "due_on")


class EventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_state", "to_state", "actor", "actor_role", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ("id", "station", "standard", "round", "state", "total", "stars", "valid_until")
    list_filter = ("state",)
    list_select_related = ("station", "standard", "round")
    search_fields = ("station__name",)
    inlines = [EventInline]
