from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Outside deliveries, for a superuser to see what a gateway refused. Inboxes are personal
    and are not shown here."""

    list_display = ("notification_id", "channel", "status", "attempts", "last_error", "sent_at")
    list_filter = ("channel", "status")
    readonly_fields = ("notification", "channel", "status", "attempts", "last_error", "sent_at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
