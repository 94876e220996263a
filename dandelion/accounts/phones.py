"""Mainland China mobile numbers: `1[3-9]` and nine more digits, with or without +86."""

import re

from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error

from .errors import AccountsError

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()]")


def phone_normalise(raw: str, *, field: str = "phone") -> str:
    """`+86 138-1234-5678` → `13812345678`, or `InvalidInput` naming `field`."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not MOBILE_PATTERN.match(digits):
        message = _("请输入正确的手机号（11 位，以 1 开头）")
        raise InvalidInput(
            message,
            code=AccountsError.INVALID_PHONE,
            errors=[field_error(field, AccountsError.INVALID_PHONE, message)],
        )
    return digits
