"""Who may manage the service menu: region admins edit the items their region manages."""

from django.db.models import Q

from dandelion.core import permissions


def register() -> None:
    permissions.allow("region_admin", "catalog.view", "catalog.change")
    permissions.register_scope(
        "catalog.serviceitem", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    # Categories are shared headings: region admins see them (to file items), superusers edit.
    permissions.register_scope("catalog.servicecategory", region=lambda prefix: Q())
