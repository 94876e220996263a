"""Admin of the points app. The ledger (accounts, transfers, entries) is read-only here:
points move only through the ledger service, so nobody edits a balance or an entry by hand.
Earning rules are edited by region admins in their region."""

from django.contrib import admin

from dandelion.core.admin import ScopedAdminMixin
from dandelion.core.permissions import can

from .models import Account, EarningRule, Entry, Redemption, RedemptionEvent, Reward, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    fields = ("account", "amount", "balance_after", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "balance", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("id", "reason", "event", "amount", "debit", "credit", "memo", "created_at")
    list_filter = ("reason", "event")
    search_fields = ("source_key", "memo")
    list_select_related = ("debit", "credit")
    inlines = [EntryInline]


@admin.register(EarningRule)
class EarningRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = change_action = add_action = "points.rule_manage"
    list_display = (
        "region",
        "event",
        "points",
        "daily_cap",
        "monthly_cap",
        "requires_verified",
        "is_active",
    )
    list_filter = ("event", "is_active", "requires_verified")
    autocomplete_fields = ("region",)


@admin.register(Reward)
class RewardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "reward.view"
    change_action = add_action = "reward.manage"
    list_display = (
        "title",
        "kind",
        "price",
        "stock",
        "per_person_limit",
        "valid_until",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("title",)
    readonly_fields = ("city_code",)
    raw_id_fields = ("station", "partner", "organisation", "region")

    def save_model(self, request, obj, form, change):
        obj.city_code = obj.region.city_code
        super().save_model(request, obj, form, change)


class RedemptionEventInline(admin.TabularInline):
    """A redemption's history, as its services wrote it."""

    model = RedemptionEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_state", "to_state", "actor", "actor_role", "note")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        # Whoever may see the redemption sees its history.
        return can(request.user, "redemption.view", obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Redemption)
class RedemptionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a redemption changes only through its services (fulfil, cancel, expire),
    which move the points and the stock with it."""

    view_action = "redemption.view"
    inlines = [RedemptionEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    list_display = ("code", "reward", "user", "status", "price", "created_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("code",)
