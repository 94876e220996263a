"""Staff console pages: fulfil a redemption by its code (核销), rewards and their stock."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError
from dandelion.core.forms import show_error
from dandelion.core.permissions import can

from . import selectors, services
from .models import Reward


@console_required
def fulfil(request):
    """Type or scan a code: the page shows what it is for, and one button hands it over. Who
    may fulfil codes nowhere gets 403 whatever the code; staff see the same sentence for
    another provider's code as for an unknown one (`selectors.redemption_to_fulfil`)."""
    recent = selectors.fulfilments_recent(actor=request.user)
    code = selectors.code_normalise(request.POST.get("code") or request.GET.get("code") or "")
    found, error = None, ""
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            done = services.redemption_fulfil(code=code, actor=request.user)
        except ApplicationError as exc:
            error = _code_error(exc)
        else:
            messages.success(request, _("核销成功：%(title)s") % {"title": done.reward.title})
            return redirect("points_console:fulfil")
    elif code:
        try:
            found = selectors.redemption_to_fulfil(actor=request.user, code=code)
        except ApplicationError as exc:
            error = _code_error(exc)
    return render(
        request,
        "points/console/fulfil.html",
        {"code": code, "found": found, "error": error, "recent": recent, "now": timezone.now()},
    )


def _code_error(exc: ApplicationError) -> str:
    placed = show_error(exc, fields=["code"])
    return placed.get("code") or placed.get("", "")


@console_required
@require_GET
def rewards(request):
    managed = selectors.rewards_managed(actor=request.user)
    page = Paginator(managed, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "points/console/rewards.html",
        {"page": page, "can_create": can(request.user, "reward.manage")},
    )


class RewardForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("提供方"))
    title = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=Reward.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("说明"), widget=forms.Textarea, required=False, max_length=2000
    )
    price = forms.IntegerField(label=gettext_lazy("所需积分"), min_value=1, max_value=1_000_000)
    stock = forms.IntegerField(label=gettext_lazy("库存"), min_value=0, max_value=1_000_000)
    per_person_limit = forms.IntegerField(
        label=gettext_lazy("每人限兑"), min_value=1, max_value=100, initial=1
    )
    valid_from = forms.DateTimeField(
        label=gettext_lazy("开始兑换"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    valid_until = forms.DateTimeField(
        label=gettext_lazy("截止兑换"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    claim_days = forms.IntegerField(
        label=gettext_lazy("领取期限（天）"), min_value=1, max_value=365, initial=7
    )
    is_active = forms.BooleanField(label=gettext_lazy("上架"), required=False, initial=True)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:  # editing: the provider stays
            del self.fields["provider"]
            return
        limit = 300
        self.fields["provider"].choices = (
            [(f"station:{s.pk}", f"🏠 {s.name}") for s in providers.stations[:limit]]
            + [(f"partner:{p.pk}", f"🏪 {p.name}") for p in providers.partners[:limit]]
            + [(f"merchant:{m.pk}", f"🏢 {m.name}") for m in providers.merchants[:limit]]
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("截止时间必须晚于开始时间"))
        return data


@console_required
def reward_new(request):
    providers = selectors.reward_providers(actor=request.user)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = RewardForm(
        request.POST or None,
        providers=providers,
        initial={"valid_from": now, "valid_until": now + timedelta(days=90)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            provider = selectors.reward_provider(actor=request.user, choice=data.pop("provider"))
            services.reward_create(actor=request.user, **provider, **data)
        except ApplicationError as exc:
            show_error(exc, form=form)
        else:
            messages.success(request, _("已上架"))
            return redirect("points_console:rewards")
    return render(request, "points/console/reward_form.html", {"form": form, "reward": None})


@console_required
def reward_edit(request, reward_id: int):
    reward = selectors.reward_for_change(actor=request.user, reward_id=reward_id)
    fields = [
        "title",
        "kind",
        "description",
        "price",
        "stock",
        "per_person_limit",
        "valid_from",
        "valid_until",
        "claim_days",
        "is_active",
    ]
    initial = {f: getattr(reward, f) for f in fields}
    form = RewardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
        try:
            services.reward_update(actor=request.user, reward=reward, changes=changes)
        except ApplicationError as exc:
            show_error(exc, form=form)
        else:
            messages.success(request, _("已保存"))
            return redirect("points_console:rewards")
    return render(request, "points/console/reward_form.html", {"form": form, "reward": reward})
