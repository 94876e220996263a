"""The committed OpenAPI documents, and the check that they match the code."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# name → (the NinjaAPI object's dotted path, its URL prefix). The APIs live in `config`, above
# every app, so the kernel finds them by name rather than importing them.
APIS = {
    "api-v1": ("config.api.api", "/api/v1"),
    "hsds": ("dandelion.directory.api.api", "/hsds"),
}
DOCUMENTS = {name: settings.BASE_DIR / "docs" / "openapi" / f"{name}.json" for name in APIS}


def current_schema(name: str) -> dict:
    dotted, prefix = APIS[name]
    return import_string(dotted).get_openapi_schema(path_prefix=prefix)


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
