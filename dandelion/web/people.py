"""The worker's own pages: sign in with a code, online registration (在线报到), "my profile", the
page a join or return-to-team QR code opens, and the privacy policy.

Plain forms posted to these views, which call the same services the API does; errors from the
services are shown beside the field they name (`core.forms.show_error`), in the worker's
language.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dandelion.accounts import selectors as account_selectors
from dandelion.accounts import services as account_services
from dandelion.core.errors import ApplicationError, InvalidInput, RateLimited
from dandelion.core.forms import show_error
from dandelion.core.h5 import safe_next, sign_in_required
from dandelion.core.privacy import phone_mask
from dandelion.core.ratelimit import client_address
from dandelion.notifications.services import notifications_mark_all_read
from dandelion.orgs import selectors as org_selectors
from dandelion.orgs import services as org_services
from dandelion.points import selectors as points_selectors
from dandelion.regions import selectors as region_selectors

from . import presenters
from .console import inbox_context

LOGIN_FIELDS = ("phone", "code")
REGISTRATION_FIELDS = (
    "display_name",
    "occupation",
    "platform",
    "platform_other",
    "work_region_code",
    "skills",
    "accept_policy_version",
)


def _login_url(next_url: str) -> str:
    return f"{reverse('web:login')}?{urlencode({'next': next_url})}"


def _after_sign_in(request, user) -> str:
    """Where a fresh sign-in goes: a worker who has not registered yet registers first; staff
    (anyone holding a staff role) go straight on."""
    target = safe_next(request, reverse("web:me"))
    if not account_selectors.is_registered(user=user) and not account_selectors.holds_staff_role(
        user=user
    ):
        return f"{reverse('web:register')}?{urlencode({'next': target})}"
    return target


def _login_errors(exc: ApplicationError, field: str) -> dict[str, str]:
    """The login form shows errors beside the phone or the code; the rest beside `field`."""
    errors = show_error(exc, fields=LOGIN_FIELDS)
    if "" in errors:
        errors.setdefault(field, errors.pop(""))
    return errors


@require_http_methods(["GET", "POST"])
def login_page(request):
    """Two steps on one page: the phone (send a code), then the code (sign in)."""
    context = {
        "phone": request.POST.get("phone", "").strip(),
        "next": safe_next(request, ""),
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
                context["errors"] = _login_errors(exc, "phone")
                context["retry_after"] = exc.retry_after
                context["step"] = "code" if "phone" in exc.code else "phone"
            except ApplicationError as exc:
                context["errors"] = _login_errors(exc, "phone")
            else:
                context["step"] = "code"
                context["sent"] = True
                context["retry_after"] = sent.resend_after
        elif action == "login":
            context["step"] = "code"
            try:
                user = account_services.otp_verify(phone=phone, code=request.POST.get("code", ""))
            except ApplicationError as exc:
                context["errors"] = _login_errors(exc, "code")
                if "phone" in context["errors"]:
                    context["step"] = "phone"
            else:
                login(request, user, backend=account_services.SESSION_BACKEND)
                return redirect(_after_sign_in(request, user))
    status = 429 if context.get("retry_after") and context["errors"] else 200
    return render(request, "web/login.html", context, status=status)


@require_POST
def logout_page(request):
    logout(request)
    return redirect("web:login")


def _registration_options() -> dict:
    lat, lng = settings.MAP_DEFAULT_CENTER
    streets = region_selectors.regions_near(
        lat=lat,
        lng=lng,
        degrees=presenters.REGION_WINDOW_DEGREES,
        levels=(region_selectors.Level.STREET,),
    )
    choices = account_selectors.registration_choices()
    return {
        "occupations": choices["occupations"],
        "vehicles": choices["vehicles"],
        "platforms": choices["platforms"],
        "streets": streets,
        "skill_suggestions": choices["skills"],
        "policy_version": choices["privacy_policy_version"],
        "platform_other_value": choices["platform_other"],
    }


def _registration_changes(post, *, platform_other_value: str, editing: bool) -> dict:
    skills = post.getlist("skills") + post.get("skills_other", "").replace("，", ",").split(",")
    changes = {
        "display_name": post.get("display_name", ""),
        "occupation": post.get("occupation", ""),
        "vehicle": post.get("vehicle", ""),
        "platform": post.get("platform", ""),
        "work_region_code": post.get("work_region_code", ""),
        "is_volunteer": post.get("is_volunteer") == "on",
        "skills": [s for s in skills if s.strip()] if post.get("is_volunteer") == "on" else [],
        "real_name": post.get("real_name", ""),
        "accept_policy_version": post.get("accept_policy_version") or None,
    }
    if not changes["vehicle"]:
        # Left to the default: by occupation at registration, unchanged on an edit.
        del changes["vehicle"]
    if editing and changes["accept_policy_version"] is None:
        # Consent was given at registration; editing the profile neither renews nor withdraws it.
        del changes["accept_policy_version"]
    if changes["platform"] == platform_other_value:
        changes["platform_other"] = post.get("platform_other", "")
    return changes


def _profile_values(user, profile, *, platform_other_value: str, skill_suggestions) -> dict:
    """The edit form's starting values: what the worker registered."""
    placeholder = account_services.placeholder_display_name(user.phone or "")
    suggested = set(skill_suggestions)
    return {
        "display_name": "" if user.display_name == placeholder else user.display_name,
        "occupation": profile.occupation,
        "vehicle": profile.vehicle,
        "platform": profile.platform,
        "platform_other": profile.platform_other,
        "work_region_code": profile.work_region.code,
        "is_volunteer": profile.is_volunteer,
        "skills": profile.skills,
        "skills_other": ", ".join(s for s in profile.skills if s not in suggested),
        "real_name": profile.real_name,
    }


@sign_in_required
@require_http_methods(["GET", "POST"])
def register_page(request):
    """Online registration (报到); once registered, the same form edits the profile."""
    done = safe_next(request, reverse("web:me"))
    profile = account_selectors.worker_profile_of(user=request.user)
    editing = profile is not None
    options = _registration_options()
    context = {**options, "next": done, "errors": {}, "values": {}, "editing": editing}
    if editing:
        context["values"] = _profile_values(
            request.user,
            profile,
            platform_other_value=options["platform_other_value"],
            skill_suggestions=options["skill_suggestions"],
        )
    if request.method == "POST":
        changes = _registration_changes(
            request.POST, platform_other_value=options["platform_other_value"], editing=editing
        )
        try:
            if editing:
                account_services.worker_profile_update(user=request.user, changes=changes)
            else:
                account_services.worker_register(user=request.user, changes=changes)
        except ApplicationError as exc:
            context["errors"] = show_error(exc, fields=REGISTRATION_FIELDS)
            context["values"] = {
                **changes,
                "platform_other": request.POST.get("platform_other", ""),
                "skills_other": request.POST.get("skills_other", ""),
                "consent": request.POST.get("accept_policy_version") or "",
            }
        else:
            if editing:
                messages.success(request, _("资料已保存"))
            return redirect(done)
    context["form_error"] = context["errors"].get("", "")
    status = 422 if context["errors"] else 200
    return render(request, "web/register.html", context, status=status)


@sign_in_required
def me_page(request):
    user = request.user
    profile = account_selectors.worker_profile_of(user=user)
    return render(
        request,
        "web/me.html",
        {
            "profile": profile,
            "masked_phone": phone_mask(user.phone),
            "memberships": org_selectors.open_memberships_of(user=user),
            "party_membership": org_selectors.party_membership_of(user=user),
            "consent_current": account_selectors.consent_is_current(profile),
            "points_balance": points_selectors.balance_of(user=user) if profile else None,
        },
    )


def _join_state(user, purpose: str, organisation):
    """The visitor's current standing with the organisation, if any."""
    if not user.is_authenticated:
        return None
    if purpose == org_selectors.CODE_RETURN:
        return org_selectors.party_membership_open_of(user=user)
    return org_selectors.open_memberships_by_organisation(user=user).get(organisation.pk)


@require_http_methods(["GET", "POST"])
def join_page(request):
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    context = {
        "code": code,
        "errors": {},
        "party_statuses": org_selectors.party_status_choices(),
    }
    try:
        purpose, organisation = org_selectors.organisation_for_code(code=code)
    except InvalidInput as exc:
        context["invalid"] = show_error(exc)[""] if code else _("请扫描组织的二维码")
        return render(request, "web/join.html", context, status=400)
    here = f"{reverse('web:join')}?{urlencode({'code': code})}"
    context.update(
        organisation=organisation,
        purpose=purpose,
        is_return=purpose == org_selectors.CODE_RETURN,
        login_url=_login_url(here),
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(context["login_url"])
        try:
            if purpose == org_selectors.CODE_RETURN:
                org_services.party_membership_declare(
                    user=request.user,
                    branch=organisation,
                    status=request.POST.get("status", ""),
                    home_branch=request.POST.get("home_branch", ""),
                    is_mobile=request.POST.get("is_mobile") == "on",
                )
            else:
                org_services.membership_request(organisation=organisation, user=request.user)
        except ApplicationError as exc:
            context["form_error"] = show_error(exc)[""]
            context["errors"] = {"": context["form_error"]}
        else:
            return redirect(here)
    context["state"] = _join_state(request.user, purpose, organisation)
    context["registered"] = account_selectors.is_registered(user=request.user)
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
