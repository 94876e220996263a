"""Admin of the automatic routing rules (自动派单规则): region admins keep the rules of their own
region; dispatchers and auditors read them. Region admins also say whether their micro-wishes
wait for review (微心愿审核)."""

from django.contrib import admin

from dandelion.core.admin import ScopedAdminMixin
from dandelion.core.permissions import scope_queryset

from .models import RoutingRule, WishReviewPolicy


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "routing_rule.view"
    change_action = "routing_rule.change"
    add_action = "routing_rule.change"
    delete_action = "routing_rule.change"

    list_display = ("item", "region", "department", "is_active", "created_at")
    list_filter = ("is_active", "item__category")
    search_fields = ("item__code", "item__name", "region__code", "region__name", "department__name")
    list_select_related = ("item", "region", "department")
    autocomplete_fields = ()
    raw_id_fields = ("department",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_superuser:
            kwargs["queryset"] = scope_queryset(
                request.user, "routing_rule.change", db_field.remote_field.model.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(WishReviewPolicy)
class WishReviewPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Whether a region's micro-wishes wait for review before the wall shows them."""

    view_action = "wish_policy.change"
    change_action = "wish_policy.change"
    add_action = "wish_policy.change"
    delete_action = "wish_policy.change"

    list_display = ("region", "review_required", "updated_at")
    list_select_related = ("region",)
    search_fields = ("region__code", "region__name")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_superuser:
            kwargs["queryset"] = scope_queryset(
                request.user, "wish_policy.change", db_field.remote_field.model.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
