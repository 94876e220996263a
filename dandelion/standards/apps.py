from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """Station standards (星级评定): versioned indicator trees per region, assessments of stations
    against them, star levels awarded with a validity, expiry and veto rules."""

    name = "dandelion.standards"
    label = "standards"
    verbose_name = _("站点星级评定")
