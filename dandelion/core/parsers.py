"""What the API accepts before any schema sees it: no NUL characters anywhere.

PostgreSQL refuses NUL in text and SQLite stores it, so the same request would behave
differently on the two databases; no legitimate text carries one. Every query, form and JSON
value is checked here, once, and a NUL is a 422 naming the field."""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja.errors import ValidationError
from ninja.parser import Parser

NUL = "\x00"


def nul_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Where in `value` (nested dicts, lists, strings) a NUL character occurs."""
    if isinstance(value, str):
        return [path] if NUL in value else []
    if isinstance(value, dict):
        found = [(*path, key) for key in value if isinstance(key, str) and NUL in key]
        for key, item in value.items():
            found += nul_paths(item, (*path, key))
        return found
    if isinstance(value, list | tuple):
        return [p for index, item in enumerate(value) for p in nul_paths(item, (*path, index))]
    return []


def _refuse(source: str, paths: list[tuple]) -> ValidationError:
    return ValidationError(
        [
            {
                "loc": (source, *path),
                "msg": str(_("不能包含 NUL 控制字符。")),
                "type": "nul_character",
            }
            for path in paths
        ]
    )


class NulRefusingParser(Parser):
    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        paths = nul_paths(data)
        if paths:
            raise _refuse("body", paths)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest):
        result = super().parse_querydict(data, list_fields, request)
        paths = nul_paths({k: v for k, v in result.items() if isinstance(v, str | list)})
        if paths:
            source = "query" if data is request.GET else "form"
            raise _refuse(source, paths)
        return result
