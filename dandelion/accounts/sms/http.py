"""A generic HTTP SMS gateway: one JSON POST per message.

    POST SMS_HTTP_URL
    Authorization: Bearer SMS_HTTP_TOKEN
    {"phone": "13812345678", "text": "【蒲公英】…", "template": "otp", "params": {"code": "…"},
     "signature": "蒲公英"}

Any 2xx answer is success; anything else, a timeout or a refused connection is an
`SmsDeliveryError`. Most Chinese SMS providers sit behind a small adapter speaking this shape.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import SmsDeliveryError


class SmsBackend:
    def __init__(self) -> None:
        self.url = settings.SMS_HTTP_URL
        self.token = settings.SMS_HTTP_TOKEN
        self.timeout = settings.SMS_HTTP_TIMEOUT
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL.")

    def send_messages(self, messages) -> int:
        for message in messages:
            self._post(message)
        return len(messages)

    def _post(self, message) -> None:
        body = json.dumps(
            {
                "phone": message.phone,
                "text": message.text,
                "template": message.template,
                "params": message.params or {},
                "signature": settings.SMS_SIGNATURE,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if not 200 <= response.status < 300:
                    raise SmsDeliveryError(f"SMS gateway answered {response.status}.")
        except urllib.error.HTTPError as exc:
            raise SmsDeliveryError(f"SMS gateway answered {exc.code}.") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"SMS gateway unreachable: {exc}.") from exc
