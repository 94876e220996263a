"""SMS backends, chosen by SMS_BACKEND like Django's email backends."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from dandelion.accounts import sms
from dandelion.accounts.sms import SmsDeliveryError, SmsMessage, sms_backend, sms_send

MESSAGE = SmsMessage(
    phone="13812345678", text="【蒲公英】验证码 123456", template="otp", params={"code": "123456"}
)


def test_console_writes_the_message_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="dandelion.sms"):
        sms_send(MESSAGE)
    assert "13812345678" in caplog.text and "123456" in caplog.text


def test_locmem_keeps_messages_for_tests(sms_outbox):
    sms_send(MESSAGE)
    assert sms_outbox == [MESSAGE]


def test_a_dotted_path_names_any_backend():
    backend = sms_backend("dandelion.accounts.sms.locmem.SmsBackend")
    assert backend.send_messages([MESSAGE]) == 1 and sms.outbox == [MESSAGE]


class _Gateway(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {
                "body": json.loads(self.rfile.read(length)),
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
            }
        )
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    """A tiny SMS gateway on the loopback interface; no network beyond this machine."""
    _Gateway.received = []
    _Gateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_HTTP_TOKEN = "s3cret"
    settings.SMS_HTTP_TIMEOUT = 2
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_posts_json_with_the_token(gateway):
    sms_send(MESSAGE)
    (request,) = gateway.received
    assert request["authorization"] == "Bearer s3cret"
    assert request["content_type"].startswith("application/json")
    assert request["body"] == {
        "phone": "13812345678",
        "text": "【蒲公英】验证码 123456",
        "template": "otp",
        "params": {"code": "123456"},
        "signature": "蒲公英",
    }


def test_http_error_answers_are_delivery_errors(gateway):
    gateway.status = 500
    with pytest.raises(SmsDeliveryError, match="500"):
        sms_send(MESSAGE)


def test_an_unreachable_gateway_is_a_delivery_error(settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{port}/send"
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        sms_send(MESSAGE)


def test_the_http_backend_needs_a_url(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_HTTP_URL = ""
    with pytest.raises(ImproperlyConfigured):
        sms_backend("http")


@pytest.mark.django_db
def test_sign_in_codes_go_through_the_gateway(gateway, client):
    response = client.post(
        "/api/v1/auth/otp", {"phone": "13812345678"}, content_type="application/json"
    )
    assert response.status_code == 200
    (request,) = gateway.received
    assert request["body"]["template"] == "otp" and len(request["body"]["params"]["code"]) == 6
