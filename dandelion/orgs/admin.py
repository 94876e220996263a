"""Admin pages for organisations, memberships and party return-to-team, scoped like the API.
Writes go through the services (paths, audit); party membership pages audit what they show."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from dandelion.core.admin import ScopedAdminMixin
from dandelion.core.errors import ApplicationError
from dandelion.core.permissions import can, scope_queryset

from . import selectors, services
from .models import Membership, Organisation, PartyMembership

FORM_FIELDS = ("name", "kind", "region", "parent", "station", "description", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "org.view"
    change_action = "org.change"
    add_action = "org.create"
    fields = FORM_FIELDS
    list_display = ("name", "kind", "region", "parent", "station", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("region", "parent", "station")
    search_fields = ("name",)
    raw_id_fields = ("region", "parent", "station")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None or can(request.user, "org.create"):
            return ()
        # Team leaders edit their team's name and description, not where it sits.
        return ("kind", "region", "parent", "station")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None or request.user.is_superuser:
            return field
        if db_field.name == "region":
            field.queryset = scope_queryset(request.user, "org.create", field.queryset)
        elif db_field.name == "parent":
            field.queryset = scope_queryset(request.user, "org.change", field.queryset)
        elif db_field.name == "station":
            field.queryset = scope_queryset(request.user, "station.view", field.queryset)
        return field

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in FORM_FIELDS if name in form.cleaned_data}
        if change:
            services.organisation_update(organisation=obj, **data)
        else:
            data.pop("is_active", None)
            created = services.organisation_create(**data)
            obj.pk, obj.path = created.pk, created.path


def _decide(modeladmin, request, queryset, service, action: str) -> None:
    done = 0
    for row in queryset:
        if not (request.user.is_superuser or can(request.user, action, row)):
            continue
        try:
            service(row, request.user)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{row}: {exc.message}", messages.WARNING)
    modeladmin.message_user(request, _("已处理 %(count)s 条。") % {"count": done}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "membership.view"
    list_display = ("user", "organisation", "role", "status", "requested_at", "decided_by")
    list_filter = ("status", "role")
    list_select_related = ("user", "organisation__region", "decided_by")
    actions = ("approve", "decline")
    readonly_fields = (
        "organisation",
        "user",
        "role",
        "status",
        "requested_at",
        "decided_at",
        "decided_by",
    )

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return selectors.memberships_visible(actor=request.user, queryset=queryset)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or can(request.user, "party_membership.view")

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.organisation.is_party:
            return self._can(request, "party_membership.view", obj)
        return super().has_view_permission(request, obj) or (
            obj is None and can(request.user, "party_membership.view")
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            selectors.memberships_audit(
                actor=request.user, memberships=list(changelist.result_list)
            )
        return response

    @admin.action(description=_("批准所选申请"))
    def approve(self, request, queryset):
        _decide(
            self,
            request,
            queryset,
            lambda m, actor: services.membership_approve(membership=m, actor=actor),
            "membership.approve",
        )

    @admin.action(description=_("拒绝所选申请"))
    def decline(self, request, queryset):
        _decide(
            self,
            request,
            queryset,
            lambda m, actor: services.membership_decline(membership=m, actor=actor),
            "membership.approve",
        )


@admin.register(PartyMembership)
class PartyMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_action = "party_membership.view"
    list_display = ("user", "branch", "status", "is_mobile", "state", "declared_at")
    list_filter = ("state", "status", "is_mobile")
    list_select_related = ("user", "branch__region")
    actions = ("confirm", "decline")
    readonly_fields = (
        "user",
        "branch",
        "status",
        "home_branch",
        "is_mobile",
        "state",
        "declared_at",
        "decided_at",
        "decided_by",
    )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            selectors.party_memberships_audit(actor=request.user, rows=list(changelist.result_list))
        return response

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "GET":
            selectors.party_memberships_audit(actor=request.user, rows=[obj])
        return obj

    @admin.action(description=_("确认所选申报"))
    def confirm(self, request, queryset):
        _decide(
            self,
            request,
            queryset,
            lambda pm, actor: services.party_membership_confirm(party_membership=pm, actor=actor),
            "party_membership.confirm",
        )

    @admin.action(description=_("不予确认"))
    def decline(self, request, queryset):
        _decide(
            self,
            request,
            queryset,
            lambda pm, actor: services.party_membership_decline(party_membership=pm, actor=actor),
            "party_membership.confirm",
        )
