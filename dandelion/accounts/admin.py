from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("蒲公英", {"fields": ("phone", "display_name")}))
    list_display = ("username", "display_name", "is_staff", "is_active")
    search_fields = ("username", "display_name", "phone")
