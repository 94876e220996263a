"""The staff console's shell: sign-in, the home page listing the sections a person may use, and
the inbox. Each app adds its own console pages (registered in `core.console`) under
`/console/<app>/`, extending `web/console/base.html`."""

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from dandelion.core.console import console_required, sections_for
from dandelion.notifications import selectors as notification_selectors
from dandelion.notifications import services as notification_services

INBOX_PAGE_SIZE = 30


class ConsoleLoginView(auth_views.LoginView):
    template_name = "web/console/login.html"
    # Always show the form: someone signed in without console access (a worker, or staff of
    # another role) comes here from the 403 page to sign in as someone else.
    redirect_authenticated_user = False
    next_page = reverse_lazy("console:home")


class ConsoleLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("console:login")


@console_required
def console_home(request):
    sections = [
        {"section": s, "badge": s.badge(request.user) if s.badge else None}
        for s in sections_for(request.user)
    ]
    return render(request, "web/console/home.html", {"sections": sections})


def inbox_context(request) -> dict:
    """The inbox page's rows, paged by `?page=`; shared by the H5 and the console."""
    qs = notification_selectors.notification_list(user=request.user)
    page = Paginator(qs, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "notifications": [notification_selectors.notification_payload(n) for n in page],
    }


@console_required
def console_inbox(request):
    return render(request, "web/console/inbox.html", inbox_context(request))


@require_POST
@console_required
def console_inbox_read_all(request):
    notification_services.notifications_mark_all_read(user=request.user)
    return redirect("console:inbox")
