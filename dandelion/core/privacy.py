"""Personal information at the edges (PIPL): phone numbers are shown masked unless a role needs
the full number. Every serializer that puts a phone number in a response goes through here."""

import re

_NON_DIGITS = re.compile(r"\D")


def phone_mask(phone: str | None) -> str:
    """`13812345678` → `138****5678`; `+8613812345678` → `138****5678`. Short or odd numbers keep
    at most their last two digits. Empty in, empty out."""
    if not phone:
        return ""
    digits = _NON_DIGITS.sub("", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"{digits[:2]}****{digits[-2:]}"
    return "****" + digits[-2:] if len(digits) > 2 else "****"
