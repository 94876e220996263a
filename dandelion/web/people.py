"""The worker's own pages: sign in with a code, online check-in (在线报到), "my profile", the page a
join or return-to-team QR code opens, and the privacy policy.

Plain forms posted to these views, which call the same services the API does; errors from the
services are shown beside the field they name, in the worker's language.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dandelion.accounts import selectors as account_selectors
from dandelion.accounts import services as account_services
from dandelion.accounts.api.auth import SESSION_BACKEND
from dandelion.accounts.api.me import SKILL_SUGGESTIONS
from dandelion.accounts.errors import ServiceUnavailable
from dandelion.accounts.models import WorkerProfile
from dandelion.core.errors import ApplicationError, Conflict, InvalidInput, RateLimited
from dandelion.core.h5 import sign_in_required
from dandelion.core.privacy import phone_mask
from dandelion.core.ratelimit import client_address
from dandelion.notifications.services import notifications_mark_all_read
from dandelion.orgs import codes
from dandelion.orgs import selectors as org_selectors
from dandelion.orgs import services as org_services
from dandelion.orgs.models import Membership, PartyMembership
from dandelion.regions import selectors as region_selectors
from dandelion.regions.models import Region

from . import presenters
from .console import inbox_context


def _error_text(exc: ApplicationError) -> str:
    """The worker-facing sentence for a service error, by its stable code."""
    texts = {
        "invalid_phone": _("请输入正确的手机号（11 位，以 1 开头）"),
        "otp_not_requested": _("请先获取验证码"),
        "otp_expired": _("验证码已过期，请重新获取"),
        "otp_attempts_exhausted": _("错误次数过多，请重新获取验证码"),
        "account_disabled": _("该账号已停用"),
        "sms_unavailable": _("短信发送失败，请稍后再试"),
        "code_expired": _("二维码已过期，请联系负责人获取新的二维码"),
        "code_invalid": _("二维码无效"),
        "code_revoked": _("二维码已更新，请扫描新的二维码"),
        "already_member": _("你已经是该组织的成员"),
        "already_declared": _("你已经向一个党支部报到过"),
        "already_checked_in": _("你已经报到过了"),
        "unknown_region": _("请选择工作街道"),
        "not_street": _("请选择工作街道"),
        "invalid_occupation": _("请选择职业"),
        "invalid_platform": _("请选择所属平台"),
        "platform_other_required": _("请填写平台名称"),
        "invalid_skills": _("技能最多 10 项，每项不超过 20 字"),
        "consent_required": _("请阅读并同意隐私政策"),
    }
    if exc.code == "otp_invalid":
        left = exc.extra.get("attempts_left", 0)
        return _("验证码不正确，还可以再试 %(left)s 次") % {"left": left}
    if isinstance(exc, RateLimited):
        return _("操作太频繁，请 %(seconds)s 秒后再试") % {"seconds": exc.retry_after}
    return texts.get(exc.code, exc.message)


def _field_errors(exc: ApplicationError) -> dict[str, str]:
    """{field: sentence} of an `InvalidInput`; fields the form does not show go under ''."""
    if not isinstance(exc, InvalidInput) or not exc.errors:
        return {"": _error_text(exc)}
    required = _("此项为必填项")
    errors = {}
    for error in exc.errors:
        name = error.get("field", "")
        if name == "accept_policy_version":
            errors[name] = _("请阅读并同意隐私政策")
        elif error.get("msg") == "required at check-in":
            errors[name] = required
        else:
            errors[name] = _error_text(exc)
    return errors


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _login_url(next_url: str) -> str:
    return f"{reverse('web:login')}?{urlencode({'next': next_url})}"


def _after_sign_in(request, user) -> str:
    target = _safe_next(request, reverse("web:me"))
    if account_selectors.worker_profile_of(user=user) is None and not user.is_staff:
        return f"{reverse('web:checkin')}?{urlencode({'next': target})}"
    return target


@require_http_methods(["GET", "POST"])
def login_page(request):
    """Two steps on one page: the phone (send a code), then the code (sign in)."""
    context = {
        "phone": request.POST.get("phone", "").strip(),
        "next": _safe_next(request, ""),
        "step": "phone",
        "errors": {},
    }
    if request.method == "POST":
        action = request.POST.get("action")
        phone = context["phone"]
        if action == "send":
            try:
                sent = account_services.otp_request(
                    phone=phone, client_address=client_address(request)
                )
            except RateLimited as exc:
                context["errors"] = {"phone": _error_text(exc)}
                context["retry_after"] = exc.retry_after
                context["step"] = "code" if "phone" in exc.code else "phone"
            except (InvalidInput, ServiceUnavailable) as exc:
                context["errors"] = {"phone": _error_text(exc)}
            else:
                context["step"] = "code"
                context["sent"] = True
                context["retry_after"] = sent.resend_after
        elif action == "login":
            context["step"] = "code"
            try:
                user = account_services.otp_verify(phone=phone, code=request.POST.get("code", ""))
            except ApplicationError as exc:
                context["errors"] = {"code": _error_text(exc)}
                if exc.code == "invalid_phone":
                    context["step"] = "phone"
                    context["errors"] = {"phone": _error_text(exc)}
            else:
                login(request, user, backend=SESSION_BACKEND)
                return redirect(_after_sign_in(request, user))
    status = 429 if context.get("retry_after") and context["errors"] else 200
    return render(request, "web/login.html", context, status=status)


@require_POST
def logout_page(request):
    logout(request)
    return redirect("web:login")


def _check_in_options() -> dict:
    lat, lng = settings.MAP_DEFAULT_CENTER
    streets = region_selectors.regions_near(
        lat=lat, lng=lng, degrees=presenters.REGION_WINDOW_DEGREES, levels=(Region.Level.STREET,)
    )
    return {
        "occupations": WorkerProfile.Occupation.choices,
        "platforms": WorkerProfile.Platform.choices,
        "streets": streets,
        "skill_suggestions": SKILL_SUGGESTIONS,
        "policy_version": settings.PRIVACY_POLICY_VERSION,
    }


def _check_in_changes(post) -> dict:
    skills = post.getlist("skills") + post.get("skills_other", "").replace("，", ",").split(",")
    changes = {
        "occupation": post.get("occupation", ""),
        "platform": post.get("platform", ""),
        "work_region_code": post.get("work_region_code", ""),
        "is_volunteer": post.get("is_volunteer") == "on",
        "skills": [s for s in skills if s.strip()] if post.get("is_volunteer") == "on" else [],
        "real_name": post.get("real_name", ""),
        "accept_policy_version": post.get("accept_policy_version") or None,
    }
    if changes["platform"] == WorkerProfile.Platform.OTHER:
        changes["platform_other"] = post.get("platform_other", "")
    return changes


@sign_in_required
@require_http_methods(["GET", "POST"])
def checkin_page(request):
    done = _safe_next(request, reverse("web:me"))
    if account_selectors.worker_profile_of(user=request.user) is not None:
        return redirect(done)
    context = {**_check_in_options(), "next": done, "errors": {}, "values": {}}
    if request.method == "POST":
        changes = _check_in_changes(request.POST)
        try:
            account_services.worker_check_in(user=request.user, changes=changes)
        except (InvalidInput, Conflict) as exc:
            context["errors"] = _field_errors(exc)
            context["values"] = {
                **changes,
                "platform_other": request.POST.get("platform_other", ""),
                "skills_other": request.POST.get("skills_other", ""),
                "consent": request.POST.get("accept_policy_version") or "",
            }
        else:
            return redirect(done)
    context["form_error"] = context["errors"].get("", "")
    status = 422 if context["errors"] else 200
    return render(request, "web/checkin.html", context, status=status)


@sign_in_required
def me_page(request):
    user = request.user
    profile = account_selectors.worker_profile_of(user=user)
    memberships = [
        m for m in org_selectors.memberships_of(user=user) if m.status in Membership.OPEN_STATUSES
    ]
    return render(
        request,
        "web/me.html",
        {
            "profile": profile,
            "masked_phone": phone_mask(user.phone),
            "memberships": memberships,
            "party_membership": org_selectors.party_membership_of(user=user),
            "consent_current": account_selectors.consent_is_current(profile),
        },
    )


def _join_state(user, purpose: str, organisation):
    """The visitor's current standing with the organisation, if any."""
    if not user.is_authenticated:
        return None
    if purpose == codes.RETURN:
        declared = org_selectors.party_membership_of(user=user)
        if declared is not None and declared.state != PartyMembership.State.DECLINED:
            return declared
        return None
    return org_selectors.open_memberships_by_organisation(user=user).get(organisation.pk)


@require_http_methods(["GET", "POST"])
def join_page(request):
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    context = {"code": code, "errors": {}, "party_statuses": PartyMembership.Status.choices}
    try:
        purpose, organisation = org_selectors.organisation_for_code(code=code)
    except InvalidInput as exc:
        context["invalid"] = _error_text(exc) if code else _("请扫描组织的二维码")
        return render(request, "web/join.html", context, status=400)
    here = f"{reverse('web:join')}?{urlencode({'code': code})}"
    context.update(
        organisation=organisation,
        purpose=purpose,
        is_return=purpose == codes.RETURN,
        login_url=_login_url(here),
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(context["login_url"])
        try:
            if purpose == codes.RETURN:
                org_services.party_membership_declare(
                    user=request.user,
                    branch=organisation,
                    status=request.POST.get("status", ""),
                    home_branch=request.POST.get("home_branch", ""),
                    is_mobile=request.POST.get("is_mobile") == "on",
                )
            else:
                org_services.membership_request(organisation=organisation, user=request.user)
        except (InvalidInput, Conflict) as exc:
            context["errors"] = {"": _error_text(exc)}
            context["form_error"] = _error_text(exc)
        else:
            return redirect(here)
    context["state"] = _join_state(request.user, purpose, organisation)
    context["checked_in"] = request.user.is_authenticated and (
        account_selectors.worker_profile_of(user=request.user) is not None
    )
    return render(request, "web/join.html", context, status=422 if context["errors"] else 200)


def privacy_page(request):
    return render(request, "web/privacy.html", {"policy_version": settings.PRIVACY_POLICY_VERSION})


def services_page(request):
    """The services hub (服务): a tile for each thing a worker can do besides the map."""
    return render(request, "web/services.html")


@sign_in_required
def notifications_page(request):
    return render(request, "web/notifications.html", inbox_context(request))


@require_POST
@sign_in_required
def notifications_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("web:notifications")
