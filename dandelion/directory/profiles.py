"""Dandelion's HSDS profile: JSON Merge Patch files (RFC 7396) over the specification's
schemas, one per object it changes, in `profile/`. docs/hsds.md explains each field."""

import json
from functools import cache
from pathlib import Path

PROFILE_DIR = Path(__file__).parent / "profile"
PROFILE_NAME = "dandelion-cn"


@cache
def profile_patches() -> dict[str, dict]:
    """Schema name (`location`) → its merge patch."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(PROFILE_DIR.glob("*.json"))
    }


def merge_patch(target, patch):
    """RFC 7396: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
