from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """Programme figures (工作数据): roll-ups kept from the domain events, the figures API,
    the dashboard, exports, the monthly brief and open data."""

    name = "dandelion.figures"
    label = "figures"
    verbose_name = _("工作数据")
