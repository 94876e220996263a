from django.contrib import admin

from dandelion.core.admin import ScopedAdminMixin

from .models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The division tree is reference data loaded from the national codes: superusers keep it
    (no role's action reaches it), like every admin page, through `core.permissions`."""

    list_display = ("code", "name", "level", "parent", "city_code", "population")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    # Boundaries come from `manage.py load_boundaries`, which checks them and keeps their box.
    readonly_fields = ("code_prefix", "city_code", "boundary")
    raw_id_fields = ("parent",)
    ordering = ("code",)
