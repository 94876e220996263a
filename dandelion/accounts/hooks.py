"""Where other apps plug into a person's data: what `GET /me/export` returns and what deleting
an account clears. Apps register in their `AppConfig.ready()`; accounts imports none of them."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

ExportSection = Callable[[Any], Any]
Anonymiser = Callable[[Any, Any, datetime], None]

_export_sections: dict[str, ExportSection] = {}
_anonymisers: list[Anonymiser] = []


def register_export_section(name: str, section: ExportSection) -> None:
    """`section(user)` returns JSON-ready data put under `name` in the export."""
    _export_sections[name] = section


def register_anonymiser(anonymiser: Anonymiser) -> None:
    """`anonymiser(user, actor, now)` removes or detaches the person's rows in one app; it runs
    inside the account deletion's transaction."""
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def export_sections() -> dict[str, ExportSection]:
    return dict(_export_sections)


def anonymisers() -> list[Anonymiser]:
    return list(_anonymisers)
