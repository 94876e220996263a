"""The notifications app's pages and the live stream: `/notifications/stream/` (Server-Sent
Events for the signed-in person), "为我推荐" (the tasks matched to a worker) and the worker's
choice of which recommendations to receive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dandelion.accounts import selectors as accounts_selectors
from dandelion.core.h5 import sign_in_required

from . import live, selectors, services, stream


@require_GET
def live_stream(request):
    """The signed-in person's live stream. Anyone else gets 401, and when this process already
    holds `LIVE_MAX_STREAMS` streams, 503 with Retry-After: either way the browser's
    EventSource stops and the page polls the badge instead."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if not live.slots.acquire():
        response = HttpResponse(status=503)
        response["Retry-After"] = "60"
        return response
    chunks = stream.events(
        request.user,
        last_event_id=stream.last_id_parse(
            request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
        ),
        language=translation.get_language(),
        since=stream.since_parse(request.GET.get("since")),
    )
    response = StreamingHttpResponse(stream.SlotHeld(chunks), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    # A reverse proxy (nginx) must pass each event on at once, not buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response


RECOMMENDATIONS_PAGE_SIZE = 30


@sign_in_required
def recommendations_page(request):
    """为我推荐: the volunteer activities and wishes matched to this worker as they were
    published, newest first, with a link to the settings that switch each kind off."""
    page = Paginator(selectors.recommendation_list(user=request.user), RECOMMENDATIONS_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/recommendations.html",
        {
            "page": page,
            "notifications": [selectors.notification_payload(n) for n in page],
            "registered": accounts_selectors.is_registered(user=request.user),
            "preferences": selectors.kind_preferences(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@sign_in_required
def settings_page(request):
    """Which recommendations this person receives: one switch per optional kind."""
    preferences = selectors.kind_preferences(user=request.user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("kinds"))
        for preference in preferences:
            enabled = preference["kind"] in chosen
            if enabled != preference["enabled"]:
                services.kind_preference_set(
                    user=request.user, kind=preference["kind"], enabled=enabled
                )
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"preferences": preferences})
