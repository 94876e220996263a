from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "city_code")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("code_prefix", "city_code")
    raw_id_fields = ("parent",)
    ordering = ("code",)
