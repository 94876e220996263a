from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from dandelion.notifications.selectors import unread_count


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME or _("蒲公英"),
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_COORD": settings.MAP_TILE_COORD,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_SUBDOMAINS": settings.MAP_TILE_SUBDOMAINS,
        "MAP_DEFAULT_CENTER": settings.MAP_DEFAULT_CENTER,
    }


def notifications(request):
    """`UNREAD_NOTIFICATIONS` for the inbox badge, counted only if a page shows it."""
    user = getattr(request, "user", None)
    return {"UNREAD_NOTIFICATIONS": SimpleLazyObject(lambda: unread_count(user=user))}
