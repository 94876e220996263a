"""Open311 GeoReport v2, driven the way an outside system drives it: form-encoded POSTs with
an API key, `.json` and `.xml` suffixes, the specification's field names and error shape."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dandelion.reports import services
from dandelion.reports.models import Report

from .conftest import HERE

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def client():
    # An outside system: no session, and Django's CSRF checks are on as in production.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def key(rw):
    return services.api_key_issue(name="12345 市民热线", region=rw.xunyang)[1]


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def _form(key, **fields):
    return {
        "api_key": key,
        "jurisdiction_id": "360400",
        "service_code": "garbage",
        "lat": str(HERE[0]),
        "long": str(HERE[1]),
        "address_string": "甘棠北路 10 号",
        "description": "垃圾满溢",
        "email": "citizen@example.cn",
        "phone": "13912345678",
        "first_name": "三",
        "last_name": "张",
        "account_id": "hotline-42",
        **fields,
    }


def test_discovery_in_both_formats(client, rw):
    body = client.get(f"{BASE}/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
    assert "text/xml" in endpoint["formats"] and endpoint["url"].endswith("/open311/v2")
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text == "text/xml"
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")


def test_services_and_a_service_definition(client, rw):
    services_json = client.get(f"{BASE}/services.json?jurisdiction_id=360400").json()
    by_code = {s["service_code"]: s for s in services_json}
    assert set(by_code["garbage"]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert by_code["broken_lift"]["metadata"] is True and by_code["garbage"]["metadata"] is False
    assert by_code["garbage"]["service_name"] == "暴露垃圾"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert {s.find("service_code").text for s in root.findall("service")} == set(by_code)
    assert root.find("service/metadata").text in {"true", "false"}

    definition = client.get(f"{BASE}/services/broken_lift.json").json()
    assert definition["service_code"] == "broken_lift"
    floor, trapped = definition["attributes"]
    assert set(floor) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }
    assert (floor["code"], floor["datatype"], floor["required"]) == ("floor", "number", True)
    assert trapped["values"] == [{"key": "yes", "name": "有"}, {"key": "no", "name": "没有"}]
    root = xml(client.get(f"{BASE}/services/broken_lift.xml"))
    assert root.tag == "service_definition"
    assert [a.find("code").text for a in root.findall("attributes/attribute")] == [
        "floor",
        "trapped",
    ]
    assert root.find("attributes/attribute[2]/values/value/key").text == "yes"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_things_are_404_in_the_specifications_error_shape(client, rw, fmt):
    for url in (
        f"{BASE}/services/nope.{fmt}",
        f"{BASE}/services.{fmt}?jurisdiction_id=999900",
        f"{BASE}/requests/999999.{fmt}",
        f"{BASE}/tokens/00000000-0000-0000-0000-000000000000.{fmt}",
        f"{BASE}/tokens/not-a-token.{fmt}",
        f"{BASE}/requests.{fmt}?service_code=nope",
        f"{BASE}/nothing-here.{fmt}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        if fmt == "json":
            [error] = response.json()
            assert error["code"] == 404 and error["description"]
        else:
            root = xml(response)
            assert root.tag == "errors"
            assert root.find("error/code").text == "404" and root.find("error/description").text


def test_an_outside_system_posts_a_request_and_it_is_the_same_row_as_the_h5s(client, rw, key):
    response = client.post(f"{BASE}/requests.json", _form(key))
    assert response.status_code == 201, response.content
    [created] = response.json()
    assert set(created) >= {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] == "hotline-42"
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert report.source == "open311" and report.reporter is None
    assert report.organisation == rw.street_office  # routed like any report
    assert report.contact["phone"] == "13912345678"
    # The same row on the public API and in the staff queue.
    public = Client().get(f"/api/v1/reports/{report.pk}").json()
    assert public["category"]["code"] == "garbage" and "13912345678" not in json.dumps(public)
    token = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert token == [{"service_request_id": str(report.pk), "token": created["token"]}]


def test_posting_in_xml_with_attributes(client, rw, key):
    response = client.post(
        f"{BASE}/requests.xml",
        _form(key, service_code="broken_lift", **{"attribute[floor]": "5"}),
    )
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    request_id = root.find("request/service_request_id").text
    assert Report.objects.get(pk=int(request_id)).attributes == {"floor": "5"}


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "o311_wrong"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "nope"}, 404, "service_code"),
        ({"lat": "", "long": ""}, 400, "lat and long"),
        ({"lat": "north"}, 400, "lat"),
        ({"jurisdiction_id": "999900"}, 404, "jurisdiction_id"),
        ({"service_code": "broken_lift"}, 400, "attribute[floor]"),
        ({"description": "x" * 4001}, 400, "description"),
        # Too long is refused, naming the parameter; nothing is cut short.
        ({"address_string": "路" * 201}, 400, "address_string"),
        ({"account_id": "a" * 201}, 400, "account_id"),
        ({"email": "a" * 200 + "@example.cn"}, 400, "email"),
        ({"media_url": "https://example.cn/" + "p" * 490}, 400, "media_url"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"lat": "39.9", "long": "116.4"}, 400, "outside"),
    ],
)
def test_post_errors(client, rw, key, change, status, words):
    # The descriptions are the errors' own sentences, in the reader's language.
    response = client.post(f"{BASE}/requests.json", _form(key, **change), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    [error] = response.json()
    assert error["code"] == status and words in error["description"]
    assert not Report.objects.exists()


def test_keys_are_scoped_to_their_region_and_revocable(client, rw, key):
    lianxi_key = services.api_key_issue(name="濂溪", region=rw.lianxi)[1]
    response = client.post(f"{BASE}/requests.json", _form(lianxi_key))
    assert response.status_code == 403
    from dandelion.reports.models import ApiKey

    services.api_key_revoke(key=ApiKey.objects.get(region=rw.xunyang))
    assert client.post(f"{BASE}/requests.json", _form(key)).status_code == 403


def test_get_requests_with_every_filter(client, rw, make_report):
    now = timezone.now()
    a = make_report()
    b = make_report(category="manhole", at=(HERE[0] + 0.001, HERE[1]))
    old = make_report(at=(HERE[0] + 0.002, HERE[1]), now=now - timedelta(days=100))
    services.report_status_change(report_id=b.pk, actor=rw.dispatcher, status="fixed", note="好了")

    def ids(query=""):
        return [
            int(r["service_request_id"]) for r in client.get(f"{BASE}/requests.json{query}").json()
        ]

    assert ids() == [b.pk, a.pk]  # newest first, the 90-day window leaves `old` out
    assert ids("?status=open") == [a.pk]
    assert ids("?status=closed") == [b.pk]
    assert ids("?service_code=manhole") == [b.pk]
    assert ids("?service_code=manhole,garbage") == [b.pk, a.pk]
    assert ids(f"?service_request_id={old.pk},{a.pk}") == [a.pk, old.pk]  # overrides the rest
    start = (now - timedelta(days=120)).isoformat()
    end = (now - timedelta(days=90)).isoformat()
    assert ids(f"?start_date={start}&end_date={end}".replace("+", "%2B")) == [old.pk]
    assert ids("?page_size=1") == [b.pk]
    assert ids("?page_size=1&page=2") == [a.pk]
    for bad in ("?status=pending", "?start_date=yesterday", "?page_size=5000", "?page=0"):
        response = client.get(f"{BASE}/requests.json{bad}")
        assert response.status_code == 400, bad
        assert response.json()[0]["code"] == 400

    [one] = client.get(f"{BASE}/requests/{b.pk}.json").json()
    assert list(one) == REQUEST_FIELDS
    assert one["status"] == "closed" and one["status_notes"] == "好了"
    assert one["agency_responsible"] == "浔阳区城管局"
    assert one["media_url"].startswith("http://testserver/media/reports/")
    assert parse_datetime(one["requested_datetime"]).utcoffset() == timedelta(hours=8)
    assert one["requested_datetime"].endswith("+08:00")
    assert "reporter" not in json.dumps(one) and rw.worker.phone not in json.dumps(one)


def test_requests_in_xml_use_the_specifications_element_names(client, rw, make_report):
    report = make_report()
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.find("service_request_id").text == str(report.pk)
    assert request.find("long").text == str(report.lng)
    assert request.find("expected_datetime").text is None
    one = xml(client.get(f"{BASE}/requests/{report.pk}.xml"))
    assert len(one.findall("request")) == 1


def test_service_request_updates(client, rw, make_report):
    report = make_report()
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="in_progress", note="已派清运车"
    )
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="fixed", note="已清运"
    )
    updates = client.get(f"{BASE}/servicerequestupdates.json").json()
    assert [u["status"] for u in updates] == ["fixed", "in_progress"]
    assert set(updates[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }
    assert updates[0]["description"] == "已清运"
    root = xml(client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates"
    assert [u.find("status").text for u in root.findall("request_update")] == [
        "fixed",
        "in_progress",
    ]
    # Dates are the city's: tomorrow in Shanghai, whatever the date in UTC.
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get(f"{BASE}/servicerequestupdates.json?start_date={future}").json() == []


def test_a_second_city_makes_the_jurisdiction_required(client, rw):
    from dandelion.regions.services import region_upsert

    nanchang = region_upsert(code="360100", name="南昌市", parent=rw.province)
    services.category_upsert(region=nanchang, code="garbage", name="暴露垃圾")
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 400 and "jurisdiction_id" in response.json()[0]["description"]
    assert len(client.get(f"{BASE}/services.json?jurisdiction_id=360100").json()) == 1


@pytest.mark.parametrize(
    "query",
    [
        "requests.json?start_date=2026-02-30",
        "requests.json?end_date=2026-02-30T10:00:00%2B08:00",
        "servicerequestupdates.json?start_date=2026-13-01",
        "servicerequestupdates.xml?end_date=2026-04-31",
        "requests.json?service_request_id=²",
    ],
)
def test_a_well_formed_but_impossible_parameter_is_a_400_not_a_500(client, rw, query):
    response = client.get(f"{BASE}/{query}")
    assert response.status_code == 400, response.content
    error = xml(response).find("error/code").text if ".xml" in query else response.json()[0]["code"]
    assert int(error) == 400


def test_ids_beyond_any_row_match_nothing(client, rw, make_report):
    report = make_report()
    huge = "9" * 30
    listed = client.get(f"{BASE}/requests.json?service_request_id={report.pk},{huge}").json()
    assert [r["service_request_id"] for r in listed] == [str(report.pk)]
    assert client.get(f"{BASE}/requests.json?service_request_id={'9' * 5000}").json() == []
    for request_id in (huge, "9" * 5000, "²"):
        response = client.get(f"{BASE}/requests/{request_id}.json")
        assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_xml_stays_well_formed_with_control_characters_in_the_text(client, rw, make_report):
    report = make_report(description="井盖\x1b没了\x0b，小心\t通行")
    root = xml(client.get(f"{BASE}/requests/{report.pk}.xml"))
    assert root.find("request").find("description").text == "井盖没了，小心\t通行"
    # JSON can carry them, so it shows the text as stored.
    body = client.get(f"{BASE}/requests/{report.pk}.json").json()
    assert body[0]["description"] == "井盖\x1b没了\x0b，小心\t通行"


def test_the_longest_address_string_is_stored_whole(client, rw, key):
    response = client.post(f"{BASE}/requests.json", _form(key, address_string="路" * 200))
    assert response.status_code == 201, response.content
    assert Report.objects.get().address == "路" * 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"description": "井盖\x00没了"}, "description"),
        ({"address_string": "甘棠\x00北路"}, "address_string"),
        ({"service_code": "broken_lift", "attribute[floor]": "5\x00"}, "attribute[floor]"),
        ({"account_id": "hotline\x0042"}, "account_id"),
        ({"first_name": "\x00"}, "first_name"),
        ({"api_key": "o311_\x00"}, "api_key"),
        ({"note\x00": "x"}, "note␀"),
    ],
)
def test_a_nul_character_anywhere_in_a_post_is_a_400_naming_it_on_every_database(
    client, rw, key, fmt, change, parameter
):
    """PostgreSQL takes no NUL in text and SQLite would store it: both refuse it the same way,
    in the specification's error shape, before anything is written."""
    response = client.post(
        f"{BASE}/requests.{fmt}", _form(key, **change), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    if fmt == "json":
        [error] = response.json()
    else:
        found = xml(response).find("error")
        error = {"code": found.find("code").text, "description": found.find("description").text}
    assert int(error["code"]) == 400
    assert error["description"] == f"{parameter}: Must not contain NUL control characters."
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "services.json?jurisdiction_id=3604%0000",
        "services/garbage.xml?jurisdiction_id=%00",
        "requests.json?service_code=garbage%00",
        "requests.xml?service_request_id=1%00",
        "requests.json?start_date=2026-01-01%00",
        "requests.json?%00=1",
        "requests/1%00.json",
        "tokens/%00.xml",
        "servicerequestupdates.json?end_date=%00",
        "discovery.json?x=%00",
    ],
)
def test_a_nul_character_in_a_query_or_path_is_a_400_in_the_specifications_shape(
    client, rw, make_report, url
):
    make_report()
    response = client.get(f"{BASE}/{url}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    if ".xml" in url:
        description = xml(response).find("error/description").text
    else:
        [error] = response.json()
        assert error["code"] == 400
        description = error["description"]
    assert "NUL" in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_request_after_the_limit_is_a_429_counted_per_citizen_of_a_client(
    client, rw, key, settings, fmt
):
    # Given a limit of two reports in ten minutes, and a citizen of the hotline who has made two,
    settings.SUBMISSION_RATES = "2/600"
    url = f"{BASE}/requests.{fmt}"
    assert [client.post(url, _form(key)).status_code for _ in range(2)] == [201, 201]

    # when the hotline posts a third for them,
    response = client.post(url, _form(key, description="第三次"), HTTP_ACCEPT_LANGUAGE="en")

    # then it is told to wait, in the specification's shape, and nothing is stored;
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= 600
    if fmt == "json":
        [error] = response.json()
    else:
        found = xml(response).find("error")
        error = {"code": found.find("code").text, "description": found.find("description").text}
    assert int(error["code"]) == 429 and "too often" in error["description"]
    assert Report.objects.count() == 2
    # another citizen of the same hotline counts apart (by account_id, else device_id).
    others = [
        _form(key, account_id="hotline-43"),
        _form(key, account_id="", device_id="phone-7"),
        _form(key, account_id="", device_id="phone-7"),
    ]
    assert [client.post(url, form).status_code for form in others] == [201, 201, 201]
    assert client.post(url, _form(key, account_id="", device_id="phone-7")).status_code == 429


def test_requests_naming_no_citizen_count_against_the_client_at_its_own_rate(
    client, rw, key, settings
):
    # A hotline naming nobody reports for many people: it has its own, wider limit
    settings.SUBMISSION_RATES = "1/600"
    settings.SUBMISSION_RATES_BY_KIND = {"open311_client": "2/600"}
    anonymous = _form(key, account_id="")
    url = f"{BASE}/requests.json"
    assert client.post(url, anonymous).status_code == 201
    assert client.post(url, anonymous).status_code == 201
    assert client.post(url, anonymous).status_code == 429
    assert client.post(url, _form(key)).status_code == 201  # hotline-42 counts apart
    assert client.post(url, _form(key)).status_code == 429  # at the per-citizen rate


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unreadable_form_is_a_400_in_the_specifications_shape(client, rw, fmt):
    response = client.post(
        f"{BASE}/requests.{fmt}", b"api_key=x", content_type="multipart/form-data"
    )
    assert response.status_code == 400, response.content
    code = xml(response).find("error/code").text if fmt == "xml" else response.json()[0]["code"]
    assert int(code) == 400
