"""The staff sign-in form (admin and staff console): Django's, plus the lock-out message."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import RateLimited
from dandelion.core.ratelimit import client_address

from .backends import staff_login_lock_check


class StaffAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("登录失败次数过多，请 %(minutes)s 分钟后再试。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            try:
                staff_login_lock_check(
                    username=username,
                    address=client_address(self.request) if self.request else None,
                )
            except RateLimited as exc:
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": max(1, math.ceil(exc.retry_after / 60))},
                ) from exc
        return super().clean()
