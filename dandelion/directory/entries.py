"""The directory being built: each HSDS object with what the list filters read."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Entry:
    """One object of a list with what its filters read: the text searched, the terms (with
    their ancestors) and taxonomies it is linked to, its organisation, when its source row last
    changed and, for places, the point."""

    object: dict
    text: str = ""
    term_ids: set[str] = field(default_factory=set)
    taxonomy_ids: set[str] = field(default_factory=set)
    organization_id: str | None = None
    modified: datetime | None = None
    point: tuple[float, float] | None = None
    service_id: str | None = None
    location_id: str | None = None


@dataclass
class Directory:
    organizations: dict[str, Entry] = field(default_factory=dict)
    locations: dict[str, Entry] = field(default_factory=dict)
    services: dict[str, Entry] = field(default_factory=dict)
    service_at_locations: dict[str, Entry] = field(default_factory=dict)
    taxonomies: dict[str, Entry] = field(default_factory=dict)
    taxonomy_terms: dict[str, Entry] = field(default_factory=dict)


def text_of(*parts) -> str:
    return " ".join(str(p) for p in parts if p).casefold()
