from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "dandelion.needs"
    label = "needs"
    verbose_name = _("诉求")

    def ready(self) -> None:
        from dandelion.accounts.services import register_anonymiser, register_export_section
        from dandelion.core.events import subscribe
        from dandelion.core.periodic import register_periodic

        from . import handlers, permissions, registrations
        from .events import WishPublished
        from .services import needs_escalate_overdue, needs_export, person_anonymise, pledges_lapse

        permissions.register()
        registrations.register()
        register_export_section("needs", needs_export)
        register_anonymiser(person_anonymise)
        register_periodic("needs.escalate_overdue", every_seconds=300, run=needs_escalate_overdue)
        register_periodic("needs.lapse_pledges", every_seconds=600, run=pledges_lapse)
        subscribe(WishPublished, handlers.wish_recommend)
