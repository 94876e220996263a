"""Open311 GeoReport v2 output: the same data as JSON or XML, chosen by the URL's suffix.

JSON lists stay lists; in XML a list becomes an element holding one child per item, named as
the specification names them (`<services><service>`, `<attributes><attribute>`,
`<service_requests><request>`, `<errors><error>`…). Dates are ISO 8601 with the offset.
"""

import json
import re
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
}


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, in the site's time zone: 2026-03-01T09:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab and line
# breaks, lone surrogates and U+FFFE/U+FFFF. A description pasted with one would otherwise make
# the whole document unreadable to the client, so they are left out of the XML (JSON keeps them).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return XML_ILLEGAL.sub("", str(value))


def _append(parent: Element, name: str, value: Any) -> None:
    element = SubElement(parent, name)
    if isinstance(value, list):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    elif isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = Element(root)
    if isinstance(data, list):
        item_name = ITEM_NAMES.get(root, "item")
        for item in data:
            _append(element, item_name, item)
    else:
        for key, value in data.items():
            _append(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), status=status, content_type=XML_TYPE)
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=JSON_TYPE)


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error shape: a list of {code, description}."""
    return respond(
        fmt,
        "errors",
        [{"code": status, "description": text} for text in descriptions],
        status=status,
    )
