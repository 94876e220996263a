"""The worker's points pages (H5): my points, the rewards shop, redeeming, my codes."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dandelion.core.errors import ApplicationError
from dandelion.core.forms import show_error
from dandelion.core.geo import navigation_links
from dandelion.core.h5 import sign_in_required
from dandelion.core.qr import qr_svg_inline

from . import selectors, services
from .models import Redemption


@sign_in_required
@require_GET
def my_points(request):
    page = Paginator(selectors.points_history(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "points/mine.html",
        {"balance": selectors.balance_of(user=request.user), "page": page},
    )


@sign_in_required
@require_GET
def shop(request):
    rewards = list(selectors.reward_list()[:100])
    return render(
        request,
        "points/shop.html",
        {"rewards": rewards, "balance": selectors.balance_of(user=request.user)},
    )


def _reward_context(request, reward, **extra) -> dict:
    balance = selectors.balance_of(user=request.user)
    place = reward.station or reward.partner
    return {
        "reward": reward,
        "balance": balance,
        # The button says what is missing instead of offering a redemption that must fail.
        "points_short": max(0, reward.price - balance),
        "pickup": place,
        "pickup_navigation": (
            navigation_links(lat=place.lat, lng=place.lng, name=place.name) if place else None
        ),
        # One key per rendering of the form: a double tap or a resend of the same form is
        # one redemption.
        "idempotency_key": uuid.uuid4().hex,
        **extra,
    }


@sign_in_required
@require_GET
def reward_detail(request, reward_id: int):
    reward = selectors.reward_get(reward_id=reward_id)
    if reward is None:
        raise Http404
    return render(request, "points/reward.html", _reward_context(request, reward))


@sign_in_required
@require_POST
def reward_redeem_view(request, reward_id: int):
    try:
        redemption, created = services.reward_redeem(
            reward_id=reward_id,
            user=request.user,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except ApplicationError as exc:
        reward = selectors.reward_get(reward_id=reward_id)
        if reward is None:
            raise Http404 from exc
        context = _reward_context(request, reward, form_error=show_error(exc).get("", ""))
        return render(request, "points/reward.html", context, status=exc.status)
    if created:
        messages.success(request, _("兑换成功，请到店出示兑换码"))
    return redirect("points:redemption", code=redemption.code)


@sign_in_required
@require_GET
def my_redemptions(request):
    page = Paginator(selectors.redemptions_of(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "points/redemptions.html", {"page": page})


def _mine(request, code: str) -> Redemption:
    redemption = (
        selectors.redemptions_of(user=request.user)
        .filter(code=selectors.code_normalise(code))
        .first()
    )
    if redemption is None:
        raise Http404
    return redemption


@sign_in_required
@require_GET
def redemption_detail(request, code: str):
    redemption = _mine(request, code)
    return render(
        request,
        "points/redemption.html",
        {"redemption": redemption, "qr": qr_svg_inline(redemption.code)},
    )


@sign_in_required
@require_POST
def redemption_cancel_view(request, code: str):
    redemption = _mine(request, code)
    try:
        services.redemption_cancel(redemption_id=redemption.pk, actor=request.user)
        messages.success(request, _("已取消，积分已退回"))
    except ApplicationError as exc:
        show_error(exc, request=request)
    return redirect("points:redemption", code=redemption.code)
