"""Admin pages for people, profiles and roles. Non-superusers see and change only what
`core.permissions` lets them, phones masked; roles are granted and revoked through the services,
so every change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dandelion.core.admin import ScopedAdminMixin
from dandelion.core.permissions import can, scope_queryset
from dandelion.core.privacy import phone_mask

from . import services
from .forms import StaffAuthenticationForm
from .models import RoleAssignment, User, WorkerProfile

# The admin's sign-in page says when a username is locked out (the backend enforces it).
admin.site.login_form = StaffAuthenticationForm


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    view_action = "user.view"
    change_action = "user.change"
    fieldsets = (*BaseUserAdmin.fieldsets, (_("蒲公英"), {"fields": ("phone", "display_name")}))
    scoped_fieldsets = (
        (None, {"fields": ("username", "display_name", "masked_phone", "is_active")}),
    )
    list_display = ("username", "display_name", "masked_phone", "is_staff", "is_active")
    search_fields = ("username", "display_name", "phone")
    list_select_related = ("worker_profile",)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: User) -> str:
        return phone_mask(obj.phone)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return self.scoped_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("masked_phone",)
        return ("username", "masked_phone")

    def get_search_fields(self, request):
        # Searching by full number would tell a staff member who is registered.
        fields = super().get_search_fields(request)
        return fields if request.user.is_superuser else ("username", "display_name")


@admin.register(WorkerProfile)
class WorkerProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "user.view"
    list_display = (
        "user",
        "occupation",
        "platform",
        "work_region",
        "is_volunteer",
        "registered_at",
    )
    list_filter = ("occupation", "platform", "is_volunteer")
    list_select_related = ("user", "work_region")
    raw_id_fields = ("user", "work_region")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return [f.name for f in WorkerProfile._meta.fields]


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "region", "organisation", "station")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "role.view"
    add_action = "role.assign"
    delete_action = "role.assign"
    form = RoleAssignmentForm
    list_display = ("user", "role", "region", "organisation", "station", "granted_by", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "region", "organisation", "station", "granted_by")
    raw_id_fields = ("user",)
    search_fields = ("user__username", "user__display_name")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in {"region", "organisation", "station"} and field is not None:
            # Only scopes the granter holds `role.assign` over can be chosen.
            field.queryset = scope_queryset(request.user, "role.assign", field.queryset)
        return field

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        assignment = services.role_assign(
            user=data["user"],
            role=data["role"],
            region=data.get("region"),
            organisation=data.get("organisation"),
            station=data.get("station"),
            actor=request.user,
        )
        obj.pk = assignment.pk

    def delete_model(self, request, obj):
        services.role_revoke(assignment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            if request.user.is_superuser or can(request.user, "role.assign", assignment):
                services.role_revoke(assignment=assignment, actor=request.user)
