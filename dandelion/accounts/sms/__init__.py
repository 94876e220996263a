"""SMS delivery through a pluggable backend, the way Django sends email.

`SMS_BACKEND` names the backend: `console` (the default: the message goes to the server log),
`locmem` (kept in `dandelion.accounts.sms.outbox` for tests), `http` (a gateway, see
`sms.http`), or a dotted path to any class with `send_messages(messages) -> int`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

BACKEND_ALIASES = {
    "console": "dandelion.accounts.sms.console.SmsBackend",
    "locmem": "dandelion.accounts.sms.locmem.SmsBackend",
    "http": "dandelion.accounts.sms.http.SmsBackend",
}

# Filled by the locmem backend; tests read and empty it.
outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    """One text to one mainland mobile number. `template` and `params` let a gateway that only
    sends registered templates (as Chinese carriers require) fill its own; `text` is the whole
    message for backends that send free text."""

    phone: str
    text: str
    template: str = ""
    params: dict | None = None


class SmsDeliveryError(Exception):
    """The backend could not hand the message over."""


def sms_backend(name: str | None = None):
    path = name or settings.SMS_BACKEND
    return import_string(BACKEND_ALIASES.get(path, path))()


def sms_send(message: SmsMessage) -> None:
    """Send one message or raise `SmsDeliveryError`."""
    if sms_backend().send_messages([message]) != 1:
        raise SmsDeliveryError("The SMS backend did not accept the message.")
