"""RFC 7807 `application/problem+json`: the one error shape of the whole API."""

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://dandelion.example.cn/problems/"


def problem_response(
    *,
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
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


def field_errors_from_pydantic(raw_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ninja/pydantic error dicts → `[{loc, field, msg, type}]` with the field path spelled out."""
    result = []
    for err in raw_errors:
        loc = [str(part) for part in err.get("loc", [])]
        # ninja prefixes the source ("query", "body", "path"); the field path is the rest.
        field_path = (
            loc[1:]
            if loc and loc[0] in {"query", "body", "path", "form", "file", "header", "cookie"}
            else loc
        )
        if len(field_path) > 1 and field_path[0] in {"filters", "payload", "data"}:
            field_path = field_path[1:]
        result.append(
            {
                "loc": loc,
                "field": ".".join(field_path),
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return result
