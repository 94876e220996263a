from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dandelion.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self) -> None:
        from dandelion.accounts.services import register_anonymiser, register_export_section

        from . import exports, permissions
        from .services import person_anonymise

        permissions.register()
        register_anonymiser(person_anonymise)
        register_export_section("memberships", exports.memberships_export)
        register_export_section("party_memberships", exports.party_memberships_export)
