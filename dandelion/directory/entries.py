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

    def links_of(self, service_id: str) -> list[Entry]:
        """The service_at_locations of a service (indexed once, when first asked)."""
        return self._index("_links", self.service_at_locations, "service_id").get(service_id, [])

    def services_of(self, organization_id: str) -> list[Entry]:
        return self._index("_services", self.services, "organization_id").get(organization_id, [])

    def locations_of(self, organization_id: str) -> list[Entry]:
        index = self._index("_locations", self.locations, "organization_id")
        return index.get(organization_id, [])

    def _index(self, name: str, entries: dict[str, Entry], key: str) -> dict[str, list[Entry]]:
        if name not in self.__dict__:
            index: dict[str, list[Entry]] = {}
            for entry in entries.values():
                index.setdefault(getattr(entry, key), []).append(entry)
            self.__dict__[name] = index
        return self.__dict__[name]


def text_of(*parts) -> str:
    return " ".join(str(p) for p in parts if p).casefold()
