"""The worker H5's shared pieces that apps need without importing `web`: the sign-in guard and
the registries behind the "services" hub (服务) and the "me" page (我的).

Apps register in `AppConfig.ready()`: `register_service_entry` adds a tile to /services/ (the
menu, report a problem, volunteer, rewards…); `register_me_link` adds a row to /me/ (my needs,
my reports, my points…). `badge(user)` may return a count to show beside the row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise


def sign_in_required(view):
    """Anonymous visitors go to /login/?next=<this page>."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('web:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class H5Link:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    icon: str = ""  # an emoji or short glyph shown on the tile
    description: str | Promise = ""
    badge: Callable[[object], int] | None = None


_service_entries: dict[str, H5Link] = {}
_me_links: dict[str, H5Link] = {}


def register_service_entry(key: str, **fields) -> None:
    _service_entries[key] = H5Link(key=key, **fields)


def register_me_link(key: str, **fields) -> None:
    _me_links[key] = H5Link(key=key, **fields)


def service_entries() -> list[H5Link]:
    return sorted(_service_entries.values(), key=lambda link: link.order)


def me_links() -> list[H5Link]:
    return sorted(_me_links.values(), key=lambda link: link.order)


def safe_next(request, default: str) -> str:
    """The `next` URL of a form or link when it stays on this site (same host, and HTTPS when
    this request is), else `default`: a sign-in link cannot send anyone elsewhere."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
