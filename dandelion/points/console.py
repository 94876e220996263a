"""Staff console pages: fulfil a redemption by its code (核销), rewards and their stock."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, InvalidInput
from dandelion.core.permissions import can, grants_for, registry
from dandelion.orgs.models import Organisation
from dandelion.stations.models import PartnerPlace, Station

from . import selectors, services
from .models import Reward


@console_required
def fulfil(request):
    """Type or scan a code: the page shows what it is for, and one button hands it over."""
    if not can(request.user, "redemption.fulfil"):
        raise DjangoPermissionDenied
    code = services.code_normalise(request.POST.get("code") or request.GET.get("code") or "")
    found, error, done = None, "", None
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            done = services.redemption_fulfil(code=code, actor=request.user)
            messages.success(request, _("核销成功：%(title)s") % {"title": done.reward.title})
            return redirect("points_console:fulfil")
        except ApplicationError as exc:
            error = _fulfil_error(exc)
    if code and not error:
        candidate = selectors.redemptions_for_staff(actor=request.user).filter(code=code).first()
        if candidate is None:
            error = _("没有找到这个兑换码，或它不属于你负责的驿站/商户")
        else:
            found = candidate
    recent = selectors.redemptions_for_staff(actor=request.user, status="fulfilled")[:10]
    return render(
        request,
        "points/console/fulfil.html",
        {"code": code, "found": found, "error": error, "recent": recent, "now": timezone.now()},
    )


def _fulfil_error(exc: ApplicationError) -> str:
    return {
        "redemption_not_found": _("没有找到这个兑换码"),
        "permission_denied": _("这个兑换码不属于你负责的驿站/商户"),
        "redemption_fulfilled": _("这个兑换码已经核销过了"),
        "redemption_expired": _("这个兑换码已过期"),
        "redemption_cancelled": _("这个兑换码已取消"),
        "code_required": _("请输入兑换码"),
    }.get(exc.code, exc.message)


@console_required
@require_GET
def rewards(request):
    if not can(request.user, "reward.view"):
        raise DjangoPermissionDenied
    page = Paginator(selectors.rewards_managed(actor=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "points/console/rewards.html",
        {"page": page, "can_create": can(request.user, "reward.manage")},
    )


def _region_prefixes(user, action: str) -> list[str] | None:
    """Region prefixes of the user's grants for `action` (None: superuser, everything)."""
    if user.is_superuser:
        return None
    return [
        grant.scope[1]
        for grant in grants_for(user)
        if action in registry.role_actions.get(grant.role, ()) and grant.scope[0] == "region"
    ]


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

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["provider"]
            return
        choices = []
        prefixes = _region_prefixes(user, "reward.manage")
        stations = Station.objects.exclude(status=Station.Status.CLOSED)
        partners = PartnerPlace.objects.exclude(status=PartnerPlace.Status.CLOSED)
        merchants = Organisation.objects.filter(is_active=True, kind=Organisation.Kind.MERCHANT)
        if prefixes is not None:
            station_ids = [
                g.scope[1]
                for g in grants_for(user)
                if "reward.manage" in registry.role_actions.get(g.role, ())
                and g.scope[0] == "station"
            ]
            region_q = Q(pk__in=[])
            for prefix in prefixes:
                region_q |= Q(region__code__startswith=prefix)
            stations = stations.filter(region_q | Q(pk__in=station_ids))
            partners = partners.filter(region_q)
            org_q = Q(pk__in=[])
            for g in grants_for(user):
                if "reward.manage" in registry.role_actions.get(g.role, ()) and (
                    g.scope[0] == "organisation"
                ):
                    org_q |= Q(path__startswith=g.scope[1])
            merchants = merchants.filter(region_q | org_q)
        choices += [(f"station:{s.pk}", f"🏠 {s.name}") for s in stations.order_by("name")[:300]]
        choices += [(f"partner:{p.pk}", f"🏪 {p.name}") for p in partners.order_by("name")[:300]]
        choices += [(f"merchant:{m.pk}", f"🏢 {m.name}") for m in merchants.order_by("name")[:300]]
        self.fields["provider"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("截止时间必须晚于开始时间"))
        return data


def _provider_kwargs(value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    model, field = {
        "station": (Station, "station"),
        "partner": (PartnerPlace, "partner"),
        "merchant": (Organisation, "organisation"),
    }.get(kind, (None, None))
    obj = model.objects.select_related("region").filter(pk=pk).first() if model else None
    if obj is None:
        raise InvalidInput(
            "Choose a provider.",
            code="provider_required",
            errors=[{"field": "provider", "msg": "required"}],
        )
    return {field: obj}


def _form_errors(form, exc: ApplicationError) -> None:
    placed = False
    if isinstance(exc, InvalidInput):
        for error in exc.errors:
            if error.get("field") in form.fields:
                form.add_error(error["field"], error.get("msg") or exc.message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


@console_required
def reward_new(request):
    if not can(request.user, "reward.manage"):
        raise DjangoPermissionDenied
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = RewardForm(
        request.POST or None,
        user=request.user,
        initial={"valid_from": now, "valid_until": now + timedelta(days=90)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            provider = _provider_kwargs(data.pop("provider"))
            services.reward_create(actor=request.user, **provider, **data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已上架"))
            return redirect("points_console:rewards")
    return render(request, "points/console/reward_form.html", {"form": form, "reward": None})


@console_required
def reward_edit(request, reward_id: int):
    reward = selectors.rewards_managed(actor=request.user).filter(pk=reward_id).first()
    if reward is None:
        raise Http404
    if not can(request.user, "reward.manage", reward):
        raise DjangoPermissionDenied
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
    form = RewardForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
        try:
            services.reward_update(actor=request.user, reward=reward, changes=changes)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("points_console:rewards")
    return render(request, "points/console/reward_form.html", {"form": form, "reward": reward})
