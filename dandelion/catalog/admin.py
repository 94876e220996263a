"""Admin of the service menu for region admins: they add and edit the items their region
manages; categories are shared and edited by superusers."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from dandelion.core.admin import PartOfParentInline, ScopedAdminMixin
from dandelion.core.permissions import scope_queryset

from .models import ItemQuestion, ServiceCategory, ServiceItem
from .questions import choices_validate


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "catalog.view"
    list_display = ("code", "icon", "name", "name_en", "sort_order", "is_active")
    search_fields = ("code", "name", "name_en")


class ItemQuestionForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        try:
            choices_validate(data.get("kind"), data.get("choices"))
        except ValidationError as exc:
            self.add_error("choices", exc)
        return data


class ItemQuestionInline(PartOfParentInline, admin.StackedInline):
    model = ItemQuestion
    form = ItemQuestionForm
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "catalog.view"
    change_action = "catalog.change"
    add_action = "catalog.change"
    delete_action = "catalog.change"

    list_display = (
        "code",
        "name",
        "category",
        "region",
        "accept_hours",
        "resolve_hours",
        "needs_location",
        "is_active",
    )
    list_filter = ("category", "is_active", "needs_location")
    search_fields = ("code", "name", "name_en")
    filter_horizontal = ("regions_served", "providers")
    inlines = (ItemQuestionInline,)
    list_select_related = ("category", "region")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_superuser:
            kwargs["queryset"] = scope_queryset(
                request.user, "catalog.change", db_field.remote_field.model.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "regions_served" and not request.user.is_superuser:
            kwargs["queryset"] = scope_queryset(
                request.user, "catalog.change", db_field.remote_field.model.objects.all()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.city_code = obj.region.city_code
        super().save_model(request, obj, form, change)
