"""Channels that carry a notification beyond the inbox. `NOTIFICATION_CHANNELS` lists the ones
a site enables (none by default: the inbox is always on); each is a class with
`send(notification, title, body)` that raises `ChannelError` when it could not hand over.

- `sms`: a text through the SMS backend the sign-in codes use, to the recipient's phone.
- `wechat`: a WeChat subscription message through a gateway (`WECHAT_GATEWAY_URL`) that holds
  the official account's credentials and the person's openid; we post JSON to it.
"""

import json
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from dandelion.accounts.services import SmsDeliveryError, SmsMessage, sms_send


class ChannelError(Exception):
    pass


class SmsChannel:
    def send(self, notification, title: str, body: str) -> None:
        phone = getattr(notification.recipient, "phone", "")
        if not phone:
            raise ChannelError("The recipient has no phone number.")
        text = f"{title} {body}".strip()
        try:
            sms_send(
                SmsMessage(
                    phone=phone,
                    text=text,
                    template=notification.kind,
                    params=notification.params,
                )
            )
        except SmsDeliveryError as exc:
            raise ChannelError(str(exc)) from exc


# Filled by the wechat channel when WECHAT_GATEWAY_URL is "locmem" (tests).
wechat_outbox: list[dict] = []


class WeChatChannel:
    def send(self, notification, title: str, body: str) -> None:
        message = {
            "user_id": notification.recipient_id,
            "kind": notification.kind,
            "title": title,
            "body": body,
            "url": notification.url,
        }
        url = settings.WECHAT_GATEWAY_URL
        if url == "locmem":
            wechat_outbox.append(message)
            return
        if not url:
            raise ChannelError("WECHAT_GATEWAY_URL is not set.")
        request = urllib.request.Request(
            url,
            data=json.dumps(message, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.WECHAT_GATEWAY_TIMEOUT) as r:
                if r.status >= 300:
                    raise ChannelError(f"Gateway answered {r.status}.")
        except OSError as exc:
            raise ChannelError(str(exc)) from exc


CHANNEL_CLASSES = {
    "sms": "dandelion.notifications.channels.SmsChannel",
    "wechat": "dandelion.notifications.channels.WeChatChannel",
}


def enabled_channels() -> list[str]:
    return [name for name in settings.NOTIFICATION_CHANNELS if name in CHANNEL_CLASSES]


def channel_get(name: str):
    return import_string(CHANNEL_CLASSES[name])()
