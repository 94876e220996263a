"""The staff console's visit review page (打卡复核): the visits the travel check held, in the
caller's scope, paged and filtered by state, station and day, each with a button to accept it
(the points it earns are paid then) or reject it.

Who may see what is the selectors' business (`review_selectors`): the page turns their refusals
into 403 and 404. Each decision posts to the same service the admin uses (`visit_review`); a
refusal, such as a visit someone else decided meanwhile, comes back on top of the queue."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error
from dandelion.core.privacy import phone_mask

from . import review_selectors, services

PAGE_SIZE = 25


class ReviewFilters(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[
            (review_selectors.PENDING, gettext_lazy("待复核")),
            (review_selectors.ACCEPTED, gettext_lazy("已通过")),
            (review_selectors.REJECTED, gettext_lazy("未通过")),
        ],
    )
    station = forms.TypedChoiceField(
        label=gettext_lazy("驿站"), required=False, coerce=int, empty_value=None
    )
    day = forms.DateField(
        label=gettext_lazy("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", _("全部"))] + [(s.pk, s.name) for s in stations]


def _filters(data, stations) -> tuple[ReviewFilters, dict]:
    """The filters the query asks for: a value the form refuses is shown beside its field and
    not applied."""
    form = ReviewFilters(data, stations=stations)
    form.is_valid()
    clean = getattr(form, "cleaned_data", {})
    return form, {
        "state": clean.get("state") or review_selectors.PENDING,
        "station_id": clean.get("station"),
        "day": clean.get("day"),
    }


def _query(data) -> str:
    """The queue's own parameters from `data`, to come back to the same page after a decision."""
    kept = {k: data.get(k) for k in ("state", "station", "day", "page") if data.get(k)}
    return f"?{urlencode(kept)}" if kept else ""


def _row(visit) -> dict:
    return {
        "id": visit.pk,
        "worker": visit.user.display_name or _("劳动者"),
        "phone": phone_mask(visit.user.phone),
        "station": visit.station.name,
        "region": visit.station.region.name,
        "visited_at": visit.visited_at,
        "distance_m": visit.distance_m,
        "accuracy_m": visit.accuracy_m,
        "verified": visit.verified,
        "flag_reason": visit.flag_reason,
        "state": (
            review_selectors.PENDING
            if visit.reviewed_at is None
            else review_selectors.REJECTED
            if visit.flagged
            else review_selectors.ACCEPTED
        ),
        "reviewed_at": visit.reviewed_at,
        "reviewer": visit.reviewed_by.display_name if visit.reviewed_by else "",
    }


@console_required
@require_GET
def visit_review_queue(request):
    stations = list(review_selectors.stations_with_held_visits(actor=request.user))
    form, chosen = _filters(request.GET, stations)
    visits = review_selectors.visits_for_review(actor=request.user, **chosen)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in ("state", "station", "day") and v}
    return render(
        request,
        "stations/console/visit_review.html",
        {
            "form": form,
            "state": chosen["state"],
            "page": page,
            "rows": [_row(v) for v in page.object_list],
            "filter_query": urlencode(query),
        },
    )


@console_required
@require_POST
def visit_review_decide(request, visit_id: int):
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        raise Http404
    back = reverse("stations_console:visit_review") + _query(request.POST)
    try:
        visit = review_selectors.visit_for_review(actor=request.user, visit_id=visit_id)
        services.visit_review(actor=request.user, visit=visit, accept=decision == "accept")
    except (NotFound, PermissionDenied):
        raise  # the 404 or 403 page (core.middleware.RefusalPagesMiddleware)
    except ApplicationError as exc:
        show_error(exc, request=request)
    else:
        done = (
            _("已通过：%(station)s 的打卡，积分已补发")
            if decision == "accept"
            else _("已驳回：%(station)s 的打卡")
        )
        messages.success(request, done % {"station": visit.station.name})
    return redirect(back)
