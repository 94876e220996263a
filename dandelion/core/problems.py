"""RFC 7807 `application/problem+json`: the one error shape of the whole API."""

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse
from ninja import Schema
from pydantic import ConfigDict

from .errors import CoreError, ErrorCode, field_error

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://dandelion.example.cn/problems/"


class ErrorItemOut(Schema):
    """One field's problem: where it is in the request, the field a form shows it beside, a
    stable code and a sentence in the reader's language."""

    loc: list[str]
    field: str
    code: str
    msg: str


class ProblemOut(Schema):
    """RFC 7807 problem details with our stable `code`; validation problems list `errors`.
    Facts about the case (`state`, `retry_after`, …) are further members."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ErrorItemOut] | None = None


def problem_response(
    *,
    status: int,
    code: ErrorCode,
    detail: Any,
    title: Any = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + str(code),
        "title": str(title) if title is not None else HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "code": str(code),
    }
    if errors is not None:
        body["errors"] = errors
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


_SOURCES = {"query", "body", "path", "form", "file", "header", "cookie"}


def field_errors_from_pydantic(raw_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ninja/pydantic error dicts → the one `errors[]` item shape, the field path spelled out
    and pydantic's error type as the code."""
    result = []
    for err in raw_errors:
        loc = [str(part) for part in err.get("loc", [])]
        # ninja prefixes the source ("query", "body", "path"); the field path is the rest.
        field_path = loc[1:] if loc and loc[0] in _SOURCES else loc
        if len(field_path) > 1 and field_path[0] in {"filters", "payload", "data"}:
            field_path = field_path[1:]
        item = field_error(
            ".".join(field_path), CoreError.VALIDATION_ERROR, str(err.get("msg", "")), loc=loc
        )
        item["code"] = str(err.get("type") or CoreError.VALIDATION_ERROR)
        result.append(item)
    return result
