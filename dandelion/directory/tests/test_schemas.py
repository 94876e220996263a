"""Every object the directory returns validates against the HSDS 3.1 schemas the project wrote
from the specification's field definitions (tests/schemas/), and against the same schemas with
Dandelion's profile applied (the merge patches in profile/)."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from dandelion.directory.profiles import merge_patch, profile_patches

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "https://dandelion.invalid/hsds/"


def _validators(*, profiled: bool) -> dict[str, Draft202012Validator]:
    documents = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.json")
    }
    if profiled:
        for name, patch in profile_patches().items():
            documents[name] = merge_patch(documents[name], patch)
    registry = Registry().with_resources(
        (f"{BASE}{name}.json", Resource.from_contents(doc)) for name, doc in documents.items()
    )
    return {
        name: Draft202012Validator(doc, registry=registry, format_checker=FormatChecker())
        for name, doc in documents.items()
    }


LISTS = {
    "/hsds/services": "service",
    "/hsds/services?full=true": "service",
    "/hsds/organizations": "organization",
    "/hsds/organizations?full=true": "organization",
    "/hsds/service_at_locations": "service_at_location",
    "/hsds/service_at_locations?full=true": "service_at_location",
    "/hsds/taxonomies": "taxonomy",
    "/hsds/taxonomy_terms": "taxonomy_term",
}


def _walk_datetimes(obj):
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "last_modified":
                assert datetime.fromisoformat(value).tzinfo is not None
            _walk_datetimes(value)
    elif isinstance(obj, list):
        for value in obj:
            _walk_datetimes(value)


@pytest.mark.parametrize("profiled", [False, True], ids=["hsds", "profile"])
def test_every_object_validates(client, directory, profiled):
    validators = _validators(profiled=profiled)
    checked = 0
    for url, kind in LISTS.items():
        page = client.get(url, {"per_page": 100}).json()
        validators["page"].validate(page)
        assert page["total_items"] == len(page["contents"]) > 0, url
        for obj in page["contents"]:
            validators[kind].validate(obj)
            _walk_datetimes(obj)
            detail = client.get(f"{url.split('?')[0]}/{obj['id']}")
            assert detail.status_code == 200
            validators[kind].validate(detail.json())
            checked += 1
    assert checked > 20


def test_the_profile_names_every_kind_the_models_have(client, directory):
    from dandelion.orgs.models import Organisation
    from dandelion.stations.models import PartnerPlace, Station

    patches = client.get("/hsds/profile").json()["schemas"]
    location = patches["location"]["properties"]
    assert set(location["place_kind"]["enum"]) == set(Station.Kind.values) | set(
        PartnerPlace.Kind.values
    )
    assert set(location["station_origin"]["enum"]) == set(Station.Origin.values)
    organization = patches["organization"]["properties"]
    assert set(organization["organization_kind"]["enum"]) == set(Organisation.Kind.values) | set(
        PartnerPlace.Kind.values
    )


def test_an_invalid_object_is_refused_by_the_schemas():
    validators = _validators(profiled=True)
    bad = {"id": "not-a-uuid", "name": "x", "status": "closed"}
    assert len(list(validators["service"].iter_errors(bad))) == 2
    address = {
        "id": "8c1f0c1e-4a7e-4c55-9f5e-3d2b1a0f9e8d",
        "address_1": "x",
        "city": "九江市",
        "state_province": "江西省",
        "postal_code": "",
        "country": "CN",
        "address_type": "physical",
        "division_code": "36040",
    }
    assert not validators["address"].is_valid(address)
