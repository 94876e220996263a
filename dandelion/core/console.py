"""The staff console's sections. Each app registers the pages it adds to the console's
navigation in `AppConfig.ready()`; the console shell (in `web`) shows a user the sections whose
`visible(user)` answers yes, so nobody is offered a page they would be refused."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ConsoleSection:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100
    badge: Callable[[object], int] | None = None  # e.g. how many items wait in a queue


_sections: dict[str, ConsoleSection] = {}


def register_section(
    key: str,
    *,
    label: str | Promise,
    url_name: str,
    visible: Callable[[object], bool],
    order: int = 100,
    badge: Callable[[object], int] | None = None,
) -> None:
    _sections[key] = ConsoleSection(key, label, url_name, visible, order, badge)


def sections_for(user) -> list[ConsoleSection]:
    if not (user and user.is_authenticated and user.is_active):
        return []
    return [s for s in sorted(_sections.values(), key=lambda s: s.order) if s.visible(user)]


def console_required(view):
    """For console pages: anonymous callers go to the console's sign-in page; signed-in people
    with no console section (workers) get 403. Finer checks (which queue, which row) stay with
    the view, through `core.permissions`."""
    from functools import wraps
    from urllib.parse import urlencode

    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.shortcuts import redirect
    from django.urls import reverse

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('console:login')}?{query}")
        if not sections_for(user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
