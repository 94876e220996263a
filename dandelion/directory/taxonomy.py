"""The two taxonomies (the amenity catalogue; the service menu's categories and items), their
terms, and attributes linking an object to a term."""

from .entries import Directory, Entry, text_of
from .ids import hsds_id

LANGUAGE = "zh"
TAXONOMY_AMENITIES = hsds_id("taxonomy", "amenities")
TAXONOMY_MENU = hsds_id("taxonomy", "service-menu")


def amenity_term_id(code: str) -> str:
    return hsds_id("taxonomy_term", "amenity", code)


def category_term_id(code: str) -> str:
    return hsds_id("taxonomy_term", "category", code)


def item_term_id(code: str) -> str:
    return hsds_id("taxonomy_term", "item", code)


def _term_brief(term: dict) -> dict:
    return {k: term[k] for k in ("id", "code", "name", "description", "taxonomy_id") if k in term}


def attribute(link_id: str, link_type: str, term: dict) -> dict:
    return {
        "id": hsds_id("attribute", link_id, term["id"]),
        "link_id": link_id,
        "link_type": link_type,
        "link_entity": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": _term_brief(term),
        "label": term["name"],
    }


def taxonomies_add(d: Directory) -> None:
    for tid, name, description in (
        (TAXONOMY_AMENITIES, "驿站设施 (station amenities)", "驿站与合作点位提供的设施。"),
        (TAXONOMY_MENU, "服务清单 (service menu)", "劳动者可以点单的服务：类别与事项。"),
    ):
        d.taxonomies[tid] = Entry(
            {"id": tid, "name": name, "description": description, "version": "1"},
            text=text_of(name, description),
        )


def terms_add(d: Directory, amenities, categories, items) -> None:
    def add(term: dict, parents: tuple[str, ...] = ()) -> None:
        d.taxonomy_terms[term["id"]] = Entry(
            term,
            text=text_of(term["code"], term["name"], term.get("alternate_name")),
            term_ids={term["id"], *parents},
            taxonomy_ids={term["taxonomy_id"]},
        )

    for amenity in amenities:
        add(
            {
                "id": amenity_term_id(amenity.code),
                "code": amenity.code,
                "name": amenity.name_zh,
                "alternate_name": amenity.name_en,
                "description": amenity.name_en or amenity.name_zh,
                "taxonomy": "dandelion-amenities",
                "taxonomy_id": TAXONOMY_AMENITIES,
                "language": LANGUAGE,
            }
        )
    for category in categories:
        add(
            {
                "id": category_term_id(category.code),
                "code": category.code,
                "name": category.name,
                "alternate_name": category.name_en,
                "description": category.name_en or category.name,
                "taxonomy": "dandelion-service-menu",
                "taxonomy_id": TAXONOMY_MENU,
                "language": LANGUAGE,
            }
        )
    for item in items:
        parent = category_term_id(item.category.code)
        add(
            {
                "id": item_term_id(item.code),
                "code": item.code,
                "name": item.name,
                "alternate_name": item.name_en,
                "description": item.description or item.name_en or item.name,
                "parent_id": parent,
                "taxonomy": "dandelion-service-menu",
                "taxonomy_id": TAXONOMY_MENU,
                "language": LANGUAGE,
            },
            parents=(parent,),
        )
