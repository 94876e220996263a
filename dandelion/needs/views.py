"""The worker's H5 pages: the service menu, ordering a need, my needs with their timelines and
rating, and the micro-wish wall. Views parse the form, call one service, and render; errors are
shown beside their fields and the input is kept."""

import uuid

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dandelion.catalog import selectors as catalog_selectors
from dandelion.catalog.selectors import answers_display, answers_from_form, item_questions
from dandelion.core.errors import ApplicationError, NotFound, RateLimited
from dandelion.core.forms import show_error
from dandelion.core.h5 import sign_in_required
from dandelion.core.i18n import localized

from . import selectors, services
from .models import MicroWish, Need, WishPledge
from .payloads import event_payload
from .rating_tags import RATING_TAGS, rating_tag_choices

NEED_FIELDS = ("description", "address", "urgency", "photos", "item", "region")
ACTION_FIELDS = ("reason", "stars", "comment")
WISH_FIELDS = ("title", "description", "need_id")
PLEDGE_FIELDS = ("kind", "display_name")

PAGE_SIZE = 20


def _work_region(user):
    profile = getattr(user, "worker_profile", None) if user.is_authenticated else None
    return profile.work_region if profile else None


def menu(request):
    region = _work_region(request.user)
    categories = catalog_selectors.catalog_for_region(region_code=region.code if region else None)
    region_name = localized(region.name, region.name_en) if region else ""
    return render(
        request,
        "needs/menu.html",
        {"categories": categories, "region": region, "region_name": region_name},
    )


def _shown_again(page, refusal: ApplicationError | None):
    """A form page shown again after a refusal answers with the refusal's status, and says how
    long to wait after too many submissions (429, `Retry-After`)."""
    if refusal is not None:
        page.status_code = refusal.status
        if isinstance(refusal, RateLimited):
            page["Retry-After"] = str(refusal.retry_after)
    return page


def _item_from(value: str):
    if not value or value == "other":
        return None
    item = catalog_selectors.item_find(code=value)
    if item is None:
        raise Http404
    return item


@sign_in_required
@require_http_methods(["GET", "POST"])
def need_new(request):
    region = _work_region(request.user)
    if region is None:
        return redirect(f"{reverse('web:register')}?next={request.get_full_path()}")
    item = _item_from(request.POST.get("item") or request.GET.get("item", ""))
    questions = catalog_selectors.item_questions(item)
    errors: dict[str, str] = {}
    refusal = None
    values = {"urgency": "normal", "client_token": uuid.uuid4().hex, "answers": {}}
    if request.method == "POST":
        raw_answers = answers_from_form(questions=questions, data=request.POST)
        values = {
            "description": request.POST.get("description", ""),
            "address": request.POST.get("address", ""),
            "urgency": request.POST.get("urgency", "normal"),
            "client_token": request.POST.get("client_token", "")[:64],
            "answers": raw_answers,
        }
        try:
            need, _created = services.need_submit(
                worker=request.user,
                item=item,
                description=values["description"],
                answers=raw_answers,
                address=values["address"],
                urgency=values["urgency"],
                client_token=values["client_token"],
                photos=request.FILES.getlist("photos"),
            )
        except ApplicationError as exc:
            errors = show_error(
                exc, fields=[*NEED_FIELDS, *(f"answers.{q.key}" for q in questions)]
            )
            refusal = exc
        else:
            return redirect("needs:detail", need_id=need.pk)
    fields = [
        {
            "question": q,
            "name": f"q_{q.key}",
            "value": values["answers"].get(q.key, [] if q.kind == "multiple" else ""),
            "error": errors.get(f"answers.{q.key}", ""),
        }
        for q in questions
    ]
    page = render(
        request,
        "needs/new.html",
        {
            "item": item,
            "fields": fields,
            "values": values,
            "errors": errors,
            "form_error": errors.get("", ""),
            "fields_refused": bool(errors.keys() - {""}),
            "region": region,
            "routing_rule": selectors.routing_rule_for(
                item_id=item.pk if item else None, region_code=region.code
            ),
            "urgencies": Need.Urgency.choices,
        },
    )
    return _shown_again(page, refusal)


@sign_in_required
def my_needs(request):
    qs = selectors.need_list(actor=request.user, mine=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/mine.html", {"page": page})


def _own_need(request, need_id: int) -> Need:
    try:
        return selectors.own_need_get(actor=request.user, need_id=need_id)
    except NotFound:
        raise Http404 from None


def _detail_context(request, need: Need, errors=None, values=None) -> dict:
    actions = selectors.actions_allowed(actor=request.user, need=need)
    return {
        "need": need,
        "answers": answers_display(questions=item_questions(need.item), answers=need.answers),
        "events": [event_payload(e) for e in need.events.all()],
        "actions": actions,
        "errors": errors or {},
        "form_error": (errors or {}).get("", ""),
        "values": values or {},
        "rating_tags": rating_tag_choices(),
        "stars": range(1, 6),
        "ratings": list(need.ratings.all()),
    }


@sign_in_required
def need_detail(request, need_id: int):
    need = _own_need(request, need_id)
    return render(request, "needs/detail.html", _detail_context(request, need))


@sign_in_required
@require_POST
def need_action(request, need_id: int, action: str):
    if action not in ("cancel", "rate", "reopen"):
        raise Http404
    need = _own_need(request, need_id)
    details: dict = {}
    if action == "rate":
        stars = request.POST.get("stars", "")
        details = {
            "stars": int(stars) if stars.isdecimal() else None,
            "tags": [t for t in request.POST.getlist("tags") if t in RATING_TAGS],
            "comment": request.POST.get("comment", ""),
        }
    else:
        details = {"note": request.POST.get("reason", "")}
    try:
        services.need_transition(need=need, action=action, actor=request.user, **details)
    except ApplicationError as exc:
        need = _own_need(request, need_id)
        values = {**details, "action": action, "reason": request.POST.get("reason", "")}
        return render(
            request,
            "needs/detail.html",
            _detail_context(
                request, need, errors=show_error(exc, fields=ACTION_FIELDS), values=values
            ),
            status=exc.status,
        )
    return redirect("needs:detail", need_id=need_id)


# ---- micro-wishes ----


def wall(request):
    page = Paginator(selectors.wish_wall(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/wall.html", {"page": page})


@sign_in_required
@require_http_methods(["GET", "POST"])
def wish_new(request):
    errors: dict[str, str] = {}
    refusal = None
    values = {"title": "", "description": ""}
    need = None
    region = _work_region(request.user)
    need_id = request.POST.get("need") or request.GET.get("need")
    if need_id:
        need = selectors.own_need_find(actor=request.user, need_id=need_id)
        if need is not None and request.method == "GET":
            values["title"] = (need.item_label or "")[:60]
            values["description"] = need.description[:500]
    if request.method == "POST":
        values = {
            "title": request.POST.get("title", ""),
            "description": request.POST.get("description", ""),
        }
        try:
            wish = services.wish_create(worker=request.user, need=need, **values)
        except ApplicationError as exc:
            errors = show_error(exc, fields=WISH_FIELDS)
            refusal = exc
        else:
            return redirect("needs:wish", wish_id=wish.pk)
    page = render(
        request,
        "needs/wish_new.html",
        {
            "values": values,
            "errors": errors,
            "form_error": errors.get("", ""),
            "fields_refused": bool(errors.keys() - {""}),
            "need": need,
            "review_required": region is not None and selectors.wish_review_required(region=region),
        },
    )
    return _shown_again(page, refusal)


def _wish_context(request, wish: MicroWish, errors=None, values=None) -> dict:
    user = request.user
    is_owner = user.is_authenticated and wish.worker_id == user.pk
    my_pledge = None if is_owner else selectors.active_pledge_of(wish=wish, user=user)
    return {
        "wish": wish,
        "is_owner": is_owner,
        "pledged_by": wish.active_pledges[0] if wish.active_pledges else None,
        "my_pledge": my_pledge,
        "kinds": WishPledge.Kind.choices,
        "errors": errors or {},
        "form_error": (errors or {}).get("", ""),
        "values": values or {"kind": "volunteer"},
        "rejection_reason": (
            selectors.wish_rejection_reason(wish=wish)
            if wish.state == MicroWish.State.REJECTED
            else ""
        ),
    }


def wish_detail(request, wish_id: int):
    try:
        wish = selectors.wish_get(wish_id=wish_id, viewer=request.user)
    except NotFound:
        raise Http404 from None
    return render(request, "needs/wish.html", _wish_context(request, wish))


@sign_in_required
@require_POST
def wish_action(request, wish_id: int, action: str):
    try:
        wish = selectors.wish_get(wish_id=wish_id, viewer=request.user)
    except NotFound:
        raise Http404 from None
    values = {
        "kind": request.POST.get("kind", ""),
        "display_name": request.POST.get("display_name", ""),
        "message": request.POST.get("message", ""),
    }
    try:
        if action == "pledge":
            services.wish_pledge(wish=wish, pledger=request.user, **values)
        elif action == "confirm":
            services.wish_confirm(wish=wish, actor=request.user)
        elif action == "withdraw":
            services.wish_withdraw(wish=wish, actor=request.user)
        elif action == "give_up":
            pledge = selectors.active_pledge_of(wish=wish, user=request.user)
            if pledge is None:
                raise Http404
            services.pledge_withdraw(pledge=pledge, actor=request.user)
        else:
            raise Http404
    except ApplicationError as exc:
        wish = selectors.wish_get(wish_id=wish_id, viewer=request.user)
        return render(
            request,
            "needs/wish.html",
            _wish_context(
                request, wish, errors=show_error(exc, fields=PLEDGE_FIELDS), values=values
            ),
            status=exc.status,
        )
    if action == "withdraw":
        return redirect("needs:my_wishes")
    return redirect("needs:wish", wish_id=wish_id)


@sign_in_required
def my_wishes(request):
    return render(
        request,
        "needs/my_wishes.html",
        {
            "wishes": selectors.wishes_of(user=request.user)[:50],
            "pledges": selectors.pledges_of(user=request.user)[:50],
        },
    )
