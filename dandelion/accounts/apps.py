from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dandelion.accounts"
    label = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from . import permissions

        permissions.register()
