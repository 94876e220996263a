"""The H5 pages (report a problem, my reports, one report with confirm/reopen, the public map)
and the console pages (queue, detail with actions), by role."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.reports import services
from dandelion.reports.models import Report

from .conftest import HERE, photo

pytestmark = pytest.mark.django_db


def _form(**fields):
    return {
        "category": "garbage",
        "lat": str(HERE[0]),
        "lng": str(HERE[1]),
        "description": "小区门口垃圾堆",
        "address": "甘棠北路 8 号",
        "photos": [photo()],
        **fields,
    }


def test_the_report_form_needs_a_signed_in_worker_and_offers_the_categories(rw):
    assert client_for(None).get("/reports/new/").status_code == 302
    page = client_for(rw.worker).get("/reports/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'value="garbage"' in html and 'value="lianxi_only"' not in html
    assert "core/coords.js" in html and "vendor/leaflet/leaflet.js" in html


def test_errors_show_beside_their_field_and_the_input_is_kept(rw):
    response = client_for(rw.worker).post(
        "/reports/new/", _form(photos=[photo("x.jpg", b"no image")], description="井盖不见了")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="photos-error"' in html and "第 1 张照片" in html
    assert "井盖不见了" in html and 'value="甘棠北路 8 号"' in html
    assert '<option value="garbage" selected>' in html
    assert not Report.objects.exists()

    no_pin = client_for(rw.worker).post("/reports/new/", _form(lat="", lng=""))
    assert 'id="lat-error"' in no_pin.content.decode()
    lift = client_for(rw.worker).post("/reports/new/", _form(category="broken_lift"))
    assert "此项为必填项" in lift.content.decode()


# Near 十里街道's centre in 濂溪区, where `lianxi_only` is offered (and not at HERE).
LIANXI = (29.6705, 116.0195)
NOT_HERE = "所选类别不适用于标出的位置，请重新选择"


def _category_fields(client, lat, lng, **params):
    return client.get("/reports/new/categories/", {"lat": lat, "lng": lng, **params})


def test_the_form_asks_for_the_categories_of_each_place_pinned(rw):
    client = client_for(None)  # the same public list as the API's, so no sign-in

    # Given a pin in 濂溪区, when the form asks, then its own category is offered too.
    lianxi = _category_fields(client, *LIANXI).content.decode()
    assert 'value="lianxi_only"' in lianxi and 'value="garbage"' in lianxi
    assert 'id="category"' in lianxi and "<html" not in lianxi

    # At HERE it is not; the category kept from before is selected with its questions shown.
    here = _category_fields(client, *HERE, category="broken_lift").content.decode()
    assert 'value="lianxi_only"' not in here
    assert '<option value="broken_lift" selected>' in here
    assert 'data-category="broken_lift">' in here  # neither hidden nor disabled

    # A kept category that does not apply at the new pin is said so beside the select.
    moved = _category_fields(client, *HERE, category="lianxi_only").content.decode()
    assert 'id="category-error"' in moved and NOT_HERE in moved and " selected>" not in moved

    # Off the area served nothing applies; a point that is no point is bad input.
    away = _category_fields(client, 39.9, 116.4).content.decode()
    assert "这个位置不在服务范围内" in away and 'value="garbage"' not in away
    assert _category_fields(client, "nan", HERE[1]).status_code == 400
    assert _category_fields(client, "", "").status_code == 400


def test_the_form_offers_the_categories_of_the_posted_pin_not_of_the_map_centre(rw):
    client = client_for(rw.worker)
    # Given a pin in 濂溪区 (the map's default centre is in 浔阳区) and a forgotten photo,
    missing_photo = client.post(
        "/reports/new/", _form(category="lianxi_only", lat=LIANXI[0], lng=LIANXI[1], photos=[])
    )
    # then the form comes back offering the pin's categories, the choice still selected.
    html = missing_photo.content.decode()
    assert missing_photo.status_code == 422 and 'id="photos-error"' in html
    assert '<option value="lianxi_only" selected>' in html
    assert f'data-at="{LIANXI[0]:.7f},{LIANXI[1]:.7f}"' in html

    done = client.post("/reports/new/", _form(category="lianxi_only", lat=LIANXI[0], lng=LIANXI[1]))
    assert done.status_code == 302
    assert Report.objects.get().region == rw.street_l


def test_a_category_that_does_not_apply_at_the_pin_is_refused_and_the_input_kept(rw):
    response = client_for(rw.worker).post(
        "/reports/new/",
        _form(category="lianxi_only", **{"attribute[floor]": "7"}),
    )
    assert response.status_code == 422 and not Report.objects.exists()
    html = response.content.decode()
    # The error says why beside the select, which lists what applies at the pin.
    assert 'id="category-error"' in html and NOT_HERE in html
    assert 'value="lianxi_only"' not in html and 'value="broken_lift"' in html
    # What was typed stays: the text, the address, the pin, and the choice for the script.
    assert "小区门口垃圾堆" in html and 'value="甘棠北路 8 号"' in html
    assert f'name="lat" id="lat" value="{HERE[0]}"' in html
    config = response.context["map_config"]
    assert config["chosen"] == {"category": "lianxi_only", "answers": {"attribute[floor]": "7"}}

    # Without a category at all, the form asks for one (not "does not apply").
    none = client_for(rw.worker).post("/reports/new/", _form(category="")).content.decode()
    assert "请选择问题类别" in none and NOT_HERE not in none


def test_a_report_is_submitted_and_shown_to_its_reporter(rw):
    client = client_for(rw.worker)
    response = client.post("/reports/new/", _form())
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.source == "h5"
    page = client.get(response["Location"]).content.decode()
    assert "暴露垃圾" in page and "甘棠街道办事处" in page
    mine = client.get("/reports/mine/").content.decode()
    assert f'data-report="{report.pk}"' in mine


def test_a_report_sent_again_with_its_key_is_the_same_report(rw):
    """The form carries a key; the phone resending a report it queued offline (or a double
    tap) gets the report it made, and nothing is counted or stored twice. Another worker's
    report with the same key is their own."""
    client = client_for(rw.worker)
    page = client.get("/reports/new/").content.decode()
    key = page.split('name="client_token" value="')[1].split('"')[0]
    assert len(key) == 32
    first = client.post("/reports/new/", _form(client_token=key))
    again = client.post("/reports/new/", _form(client_token=key, description="又发了一次"))
    assert again["Location"] == first["Location"]
    report = Report.objects.get()
    assert report.description == "小区门口垃圾堆" and report.photos.count() == 1
    other = client.post("/reports/new/", _form(client_token=key.upper()))
    assert other["Location"] != first["Location"] and Report.objects.count() == 2


def test_the_report_after_the_limit_keeps_the_input_and_says_why_on_top(rw, settings):
    # Given a limit of one report in ten minutes, and a worker who has made one,
    settings.SUBMISSION_RATES = "1/600"
    client = client_for(rw.worker)
    assert client.post("/reports/new/", _form()).status_code == 302

    # when they submit another,
    response = client.post(
        "/reports/new/",
        _form(category="broken_lift", description="电梯卡在五楼", **{"attribute[floor]": "5"}),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then the page says so on top, marks no field, keeps what they typed, and stores nothing.
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert "You are submitting too often" in html and "form-error_top" in html
    assert "Please check the fields marked in red" not in html
    assert "电梯卡在五楼" in html and 'value="甘棠北路 8 号"' in html
    assert '<option value="broken_lift" selected>' in html and '"attribute[floor]": "5"' in html
    assert Report.objects.count() == 1


def test_the_reporter_confirms_or_reopens_from_the_page(rw, make_report):
    report = make_report()
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="fixed", note="好了"
    )
    client = client_for(rw.worker)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="confirm-fixed"' in page
    assert (
        'id="confirm-fixed"'
        not in client_for(rw.other_worker).get(f"/reports/{report.pk}/").content.decode()
    )

    empty = client.post(f"/reports/{report.pk}/reopen/", {"note": ""})
    assert empty.status_code == 409 and 'id="reopen-error"' in empty.content.decode()
    assert client.post(f"/reports/{report.pk}/reopen/", {"note": "还是脏"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "reopen"
    stranger = client_for(rw.other_worker).post(f"/reports/{report.pk}/confirm/")
    assert stranger.status_code == 409
    assert client_for(rw.other_worker).post(f"/reports/{report.pk}/support/").status_code == 302
    assert report.supporters.filter(user=rw.other_worker).exists()


def test_the_public_pages_show_no_reporter(rw, make_report):
    report = make_report()
    anonymous = client_for(None)
    assert anonymous.get("/reports/map/").status_code == 200
    page = anonymous.get(f"/reports/{report.pk}/").content.decode()
    assert "骑手甲" not in page and "13800001111" not in page and "1111" not in page
    assert anonymous.get("/reports/999999/").status_code == 404


def test_the_map_filter_offers_every_category_of_the_city(rw):
    """The map shows every street's reports; its filter is not limited to one street's list."""
    page = client_for(None).get("/reports/map/").content.decode()
    for code in ("garbage", "broken_lift", "manhole", "lianxi_only"):
        assert f'<option value="{code}">' in page
    assert 'value="lianxi_only"' not in client_for(rw.worker).get("/reports/new/").content.decode()


def test_a_region_admin_edits_the_attributes_of_their_categories(rw):
    """A category's attributes are part of it: whoever edits the category edits them."""
    category, _ = services.category_upsert(
        region=rw.xunyang, code="xunyang_only", name="浔阳专属", attributes=[]
    )
    rw.admin.is_staff = True
    rw.admin.save()
    url = f"/admin/reports/reportcategory/{category.pk}/change/"
    page = client_for(rw.admin).get(url)
    assert page.status_code == 200
    assert 'name="attributes-TOTAL_FORMS"' in page.content.decode()


def test_the_services_hub_and_me_page_link_to_reports(rw):
    client = client_for(rw.worker)
    assert "/reports/new/" in client.get("/services/").content.decode()
    assert "/reports/mine/" in client.get("/me/").content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("dispatcher", 200), ("office_handler", 200), ("auditor", 200), ("worker", 403)],
)
def test_the_console_queue_by_role(rw, make_report, who, status):
    report = make_report()
    response = client_for(getattr(rw, who)).get("/console/reports/")
    assert response.status_code == status
    if status == 200:
        assert f'data-report="{report.pk}"' in response.content.decode()


def test_the_console_queue_is_scoped(rw, make_report):
    report = make_report()
    html = client_for(rw.urban_handler).get("/console/reports/").content.decode()
    assert f'data-report="{report.pk}"' not in html
    assert client_for(rw.urban_handler).get(f"/console/reports/{report.pk}/").status_code == 403
    assert client_for(None).get("/console/reports/").status_code == 302


def test_the_console_detail_moves_a_report_and_keeps_input_on_errors(rw, make_report):
    report = make_report()
    client = client_for(rw.office_handler)
    page = client.get(f"/console/reports/{report.pk}/").content.decode()
    assert 'id="photo-viewer"' in page and 'id="status-form"' in page
    assert 'id="route-form"' not in page  # handlers do not re-route
    assert "138****1111" in page

    refused = client.post(
        f"/console/reports/{report.pk}/", {"action": "status", "status": "open", "note": ""}
    )
    assert refused.status_code == 422
    assert "console-field__error" in refused.content.decode()
    done = client.post(
        f"/console/reports/{report.pk}/",
        {"action": "status", "status": "fixed", "note": "已清运完毕"},
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "fixed" and report.status_note == "已清运完毕"
    auditor = client_for(rw.auditor).post(
        f"/console/reports/{report.pk}/", {"action": "status", "status": "closed", "note": "x"}
    )
    assert auditor.status_code == 403


def test_the_console_reroutes_and_merges(rw, make_report):
    report = make_report()
    other = make_report(at=(HERE[0] + 0.0001, HERE[1]), reporter=rw.other_worker)
    client = client_for(rw.dispatcher)
    assert 'id="route-form"' in client.get(f"/console/reports/{report.pk}/").content.decode()
    client.post(
        f"/console/reports/{report.pk}/", {"action": "route", "organisation_id": rw.urban.pk}
    )
    report.refresh_from_db()
    assert report.organisation == rw.urban
    bad = client.post(f"/console/reports/{other.pk}/", {"action": "duplicate", "original_id": "x"})
    assert bad.status_code == 422 and 'value="x"' in bad.content.decode()
    client.post(
        f"/console/reports/{other.pk}/", {"action": "duplicate", "original_id": f"#{report.pk}"}
    )
    other.refresh_from_db()
    assert other.duplicate_of == report


@pytest.mark.parametrize(
    ("form", "field_error"),
    [
        (
            {
                "action": "status",
                "status": "open",
                "note": "受理",
                "expected_at": "2026-02-30T10:00",
            },
            "请填写有效的预计完成时间",
        ),
        (
            {"action": "status", "status": "open", "note": "受理", "expected_at": "明天"},
            "请填写有效的预计完成时间",
        ),
        ({"action": "route", "organisation_id": "abc"}, "请选择处置单位"),
        ({"action": "duplicate", "original_id": "²"}, "请填写原报告编号"),
        ({"action": "duplicate", "original_id": "9" * 5000}, "请填写原报告编号"),
    ],
)
def test_the_console_refuses_bad_form_values_beside_the_field(rw, make_report, form, field_error):
    report = make_report()
    response = client_for(rw.dispatcher).post(f"/console/reports/{report.pk}/", form)
    assert response.status_code == 422
    assert field_error in response.content.decode()
    report.refresh_from_db()
    assert report.status == "for_triage" and report.expected_at is None
    assert report.organisation == rw.street_office and report.duplicate_of is None


def test_the_console_reads_the_expected_time_in_the_sites_time_zone(rw, make_report):
    report = make_report()
    response = client_for(rw.dispatcher).post(
        f"/console/reports/{report.pk}/",
        {"action": "status", "status": "open", "note": "受理", "expected_at": "2026-03-02T00:00"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    # Midnight in Asia/Shanghai is 16:00 UTC the day before.
    assert report.expected_at.isoformat() == "2026-03-01T16:00:00+00:00"
