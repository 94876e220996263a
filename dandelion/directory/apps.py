from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The station network and the service menu as an Open Referral HSDS 3.1 directory (服务目录):
    read-only and public, served at /hsds/. It has no tables of its own: everything is read
    through the other apps' selectors."""

    name = "dandelion.directory"
    label = "directory"
    verbose_name = _("服务目录")
