"""The committed OpenAPI documents, and the check that they match the code."""

import json
from pathlib import Path

from django.conf import settings

DOCUMENTS = {"api-v1": settings.BASE_DIR / "docs" / "openapi" / "api-v1.json"}


def current_schema(name: str) -> dict:
    if name == "api-v1":
        from config.api import api

        return api.get_openapi_schema(path_prefix="/api/v1")
    raise KeyError(name)


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def drifted() -> list[Path]:
    """Documents whose committed file differs from what the code produces now."""
    stale = []
    for name, path in DOCUMENTS.items():
        if not path.exists() or path.read_text(encoding="utf-8") != render(current_schema(name)):
            stale.append(path)
    return stale


def write_all() -> list[Path]:
    for name, path in DOCUMENTS.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(current_schema(name)), encoding="utf-8")
    return list(DOCUMENTS.values())
