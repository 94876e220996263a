"""The stations admin: import and export pages, permissions, the map widget, derived fields."""

import csv
import io
import re
from datetime import time

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from dandelion.core.geo import h3_cells
from dandelion.stations.models import Station

IMPORT_URL = "/admin/stations/station/import/"
CHANGELIST_URL = "/admin/stations/station/"
HEADER = ["名称", "区划代码", "类型", "建设方式", "地址", "纬度", "经度", "设施", "营业时间"]
GOOD_ROW = [
    "甘棠驿站",
    "360403",
    "综合站",
    "新建",
    "庾亮南路1号",
    "29.7275",
    "115.9899",
    "热水",
    "1-7 08:00-20:00",
]


def csv_upload(*rows, name="stations.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user(username="clerk", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="stations", codename__in=codenames)
    )
    return user


# Import


def test_changelist_offers_import_and_export_to_a_superuser(admin_client, jiujiang):
    html = admin_client.get(CHANGELIST_URL).content.decode()

    assert IMPORT_URL in html
    assert "/admin/stations/station/export/csv/" in html
    assert "/admin/stations/station/export/xlsx/" in html


def test_superuser_imports_a_file(admin_client, jiujiang):
    page = admin_client.get(IMPORT_URL)
    assert page.status_code == 200 and "区划代码" in page.content.decode()

    response = admin_client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW)}, follow=True)

    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "新建 1" in response.content.decode()
    station = Station.objects.get(name="甘棠驿站")
    assert station.h3_r9 == h3_cells(29.7275, 115.9899)["h3_r9"]
    assert station.hours.count() == 7


def test_bad_rows_are_shown_in_a_table_and_the_options_kept(admin_client, jiujiang):
    bad = [*GOOD_ROW]
    bad[1] = "999999"

    response = admin_client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW, bad), "dry_run": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 行有误，未导入任何数据。" in html
    assert "<td>3</td><td>区划代码</td><td>未知的区划代码：999999</td>" in html
    assert re.search(r'<input[^>]*name="dry_run"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="only_valid"[^>]*checked', html)
    assert not Station.objects.exists()


def test_only_valid_imports_good_rows_and_lists_the_rest(admin_client, jiujiang):
    bad = [*GOOD_ROW]
    bad[0], bad[5] = "坏驿站", "北纬"

    response = admin_client.post(
        IMPORT_URL, {"file": csv_upload(GOOD_ROW, bad), "only_valid": "on"}
    )

    html = response.content.decode()
    assert "新建 1" in html and "跳过 1 行有误的数据" in html
    assert "<td>3</td><td>纬度</td>" in html
    assert list(Station.objects.values_list("name", flat=True)) == ["甘棠驿站"]


def test_a_file_of_the_wrong_type_is_refused_with_a_message(admin_client, jiujiang):
    upload = SimpleUploadedFile("stations.pdf", b"%PDF-1.7", content_type="application/pdf")

    response = admin_client.post(IMPORT_URL, {"file": upload})

    assert "只能导入 CSV 或 XLSX 文件。" in response.content.decode()


def test_staff_without_permission_cannot_import(client, django_user_model, jiujiang):
    client.force_login(staff_with(django_user_model, "view_station"))

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW)}).status_code == 403
    assert IMPORT_URL not in client.get(CHANGELIST_URL).content.decode()
    assert not Station.objects.exists()


def test_staff_with_add_but_not_change_cannot_import(client, django_user_model, jiujiang):
    client.force_login(staff_with(django_user_model, "view_station", "add_station"))

    assert client.get(IMPORT_URL).status_code == 403


def test_model_permissions_alone_do_not_open_the_import(client, django_user_model, jiujiang):
    # Access follows scoped roles (core.permissions), not Django's per-model permission table.
    client.force_login(staff_with(django_user_model, "add_station", "change_station"))

    response = client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW)})

    assert response.status_code == 403
    assert not Station.objects.filter(name="甘棠驿站").exists()


# Export


def test_export_follows_the_list_filters(admin_client, make_station):
    make_station(name="综合驿站")
    make_station(name="骑手驿站", kind="rider_home")

    response = admin_client.get("/admin/stations/station/export/csv/?kind__exact=rider_home")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="stations-')
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert names == ["名称", "骑手驿站"]


def test_export_xlsx(admin_client, make_station):
    make_station(name="综合驿站")

    response = admin_client.get("/admin/stations/station/export/xlsx/")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "综合驿站"


def test_export_needs_view_permission(client, django_user_model, make_station):
    client.force_login(staff_with(django_user_model))

    assert client.get("/admin/stations/station/export/csv/").status_code == 403


# Editing


def change_form_data(station, **changes) -> dict:
    data = {
        "name": station.name,
        "kind": station.kind,
        "origin": station.origin,
        "status": station.status,
        "region": station.region_id,
        "host_org_name": "",
        "address": station.address,
        "lat": station.lat,
        "lng": station.lng,
        "phone": "",
        "area_m2": "",
        "notes": "",
        "is_24h": "on",
    }
    for prefix in ("hours", "exceptions", "photos"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_admin_save_updates_h3_cells_and_city_code(admin_client, make_station, jiujiang):
    station = make_station()

    response = admin_client.post(
        f"/admin/stations/station/{station.pk}/change/",
        change_form_data(station, lat="29.6717", lng="116.0253", region=jiujiang["lianxi"].pk),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    station.refresh_from_db()
    assert (station.lat, station.lng) == (29.6717, 116.0253)
    assert station.h3_r5 == h3_cells(29.6717, 116.0253)["h3_r5"]
    assert station.h3_r9 == h3_cells(29.6717, 116.0253)["h3_r9"]
    assert station.city_code == "360400"


def test_admin_adds_a_station_with_hours_and_amenities(admin_client, jiujiang):
    from dandelion.stations.models import Amenity

    data = change_form_data(
        Station(
            name="新驿站",
            kind="courier",
            origin="new_build",
            status="active",
            region=jiujiang["street"],
            address="甘棠路",
            lat=29.722,
            lng=115.995,
        ),
        amenities=[Amenity.objects.get(code="toilet").pk],
        is_24h="",
    ) | {
        "hours-TOTAL_FORMS": 1,
        "hours-0-weekday": 0,
        "hours-0-opens": "20:00",
        "hours-0-closes": "02:00",
        "exceptions-TOTAL_FORMS": 1,
        "exceptions-0-date": "2026-10-01",
        "exceptions-0-closed": "on",
        "exceptions-0-opens": "09:00",
    }

    response = admin_client.post("/admin/stations/station/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    station = Station.objects.get(name="新驿站")
    assert station.h3_r7 == h3_cells(29.722, 115.995)["h3_r7"]
    assert [a.code for a in station.amenities.all()] == ["toilet"]
    assert station.hours.get().closes.hour == 2
    exception = station.exceptions.get()
    assert exception.closed and exception.opens is None


def test_change_form_has_the_map_widget_and_visit_code_links(admin_client, make_station):
    station = make_station()

    html = admin_client.get(f"/admin/stations/station/{station.pk}/change/").content.decode()

    assert 'class="map-point"' in html
    assert 'data-lat-input="id_lat"' in html and 'data-lng-input="id_lng"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/stations/map_point.js" in html
    assert f"/stations/{station.pk}/poster/" in html
    assert 'id="id_amenities"' in html  # filter_horizontal


def test_map_widget_degrades_without_leaflet(admin_client, jiujiang, monkeypatch):
    from dandelion.stations import widgets

    monkeypatch.setattr(widgets.finders, "find", lambda path, *a, **k: None)

    html = admin_client.get("/admin/stations/station/add/").content.decode()

    assert "leaflet.js" not in html
    assert 'name="lat"' in html and 'name="lng"' in html
    assert "map-point__fallback" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/stations/amenity/",
        "/admin/stations/partnerplace/",
        "/admin/stations/partnerplace/add/",
        "/admin/stations/station/?region_level=district&district=360403&is_24h__exact=1",
        "/admin/stations/station/?q=驿站",
    ],
)
def test_other_admin_pages_render(admin_client, make_station, url):
    make_station()

    assert admin_client.get(url).status_code == 200


def test_a_station_manager_edits_their_station_and_nothing_else(client, make_station):
    from dandelion.accounts.models import User
    from dandelion.accounts.services.roles import role_assign

    mine = make_station(name="我的驿站")
    other = make_station(name="别人的驿站", lat=29.71)
    manager = User.objects.create_user(username="manager", password="pw-manager-2026")
    role_assign(user=manager, role="station_manager", station=mine)
    client.force_login(manager)

    changelist = client.get("/admin/stations/station/")
    assert changelist.status_code == 200
    assert "我的驿站" in changelist.content.decode()
    assert "别人的驿站" not in changelist.content.decode()
    assert client.get(f"/admin/stations/station/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/stations/station/{other.pk}/change/").status_code in {302, 403, 404}
    assert client.get("/admin/stations/station/add/").status_code == 403


# Region admins


@pytest.fixture
def region_admin(jiujiang, django_user_model):
    """A region admin of 浔阳区 (360403) and everything in it."""
    from dandelion.accounts.services.roles import role_assign

    user = django_user_model.objects.create_user(username="xunyang_admin", password="pw")
    role_assign(user=user, role="region_admin", region=jiujiang["xunyang"])
    return user


def new_station_data(region, **changes) -> dict:
    station = Station(
        name="新驿站",
        kind="courier",
        origin="new_build",
        status="active",
        region=region,
        address="甘棠路",
        lat=29.722,
        lng=115.995,
    )
    return change_form_data(station, **changes)


def test_a_region_admin_adds_a_station_in_their_region(client, region_admin, jiujiang):
    client.force_login(region_admin)

    response = client.post("/admin/stations/station/add/", new_station_data(jiujiang["street"]))

    assert response.status_code == 302, response.content.decode()[:2000]
    station = Station.objects.get(name="新驿站")
    assert station.region == jiujiang["street"]
    assert station.h3_r9 == h3_cells(29.722, 115.995)["h3_r9"]
    assert station.city_code == "360400"


def test_a_region_admin_edits_the_hours_and_exceptions_of_their_stations(
    client, region_admin, make_station
):
    """Hours, exceptions and photos are part of the station: its editors edit them too."""
    station = make_station(hours=[(0, time(9), time(18))])
    client.force_login(region_admin)
    page = client.get(f"/admin/stations/station/{station.pk}/change/").content.decode()
    for prefix in ("hours", "exceptions", "photos"):
        assert f'name="{prefix}-TOTAL_FORMS"' in page
    interval = station.hours.get()

    data = change_form_data(station, is_24h="") | {
        "hours-TOTAL_FORMS": 2,
        "hours-INITIAL_FORMS": 1,
        "hours-0-id": interval.pk,
        "hours-0-weekday": 0,
        "hours-0-opens": "09:00",
        "hours-0-closes": "18:00",
        "hours-0-DELETE": "on",
        "hours-1-weekday": 5,
        "hours-1-opens": "20:00",
        "hours-1-closes": "02:00",
        "exceptions-TOTAL_FORMS": 1,
        "exceptions-0-date": "2026-10-01",
        "exceptions-0-closed": "on",
    }
    response = client.post(f"/admin/stations/station/{station.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(h.weekday, h.opens, h.closes) for h in station.hours.all()] == [(5, time(20), time(2))]
    assert station.exceptions.get().closed


def test_a_station_manager_edits_the_hours_of_their_station_only(client, make_station):
    from dandelion.accounts.models import User
    from dandelion.accounts.services.roles import role_assign

    mine = make_station(name="我的驿站")
    make_station(name="别人的驿站", lat=29.71)
    manager = User.objects.create_user(username="manager", password="pw-manager-2026")
    role_assign(user=manager, role="station_manager", station=mine)
    client.force_login(manager)
    data = change_form_data(mine, is_24h="") | {
        "hours-TOTAL_FORMS": 1,
        "hours-0-weekday": 2,
        "hours-0-opens": "08:00",
        "hours-0-closes": "20:00",
    }

    response = client.post(f"/admin/stations/station/{mine.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(h.weekday, h.opens) for h in mine.hours.all()] == [(2, time(8))]


def test_a_region_admin_chooses_only_regions_of_their_scope(client, region_admin, jiujiang):
    client.force_login(region_admin)

    html = client.get("/admin/stations/station/add/").content.decode()

    options = re.findall(
        r'<option value="(\d+)"', html.split('name="region"')[1].split("</select>")[0]
    )
    assert {int(pk) for pk in options} == {
        jiujiang[key].pk for key in ("xunyang", "street", "community")
    }


def test_a_region_admin_cannot_add_a_station_outside_their_region(client, region_admin, jiujiang):
    client.force_login(region_admin)

    response = client.post("/admin/stations/station/add/", new_station_data(jiujiang["lianxi"]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region"]
    assert not Station.objects.exists()


def test_a_region_admin_adds_a_partner_place_in_their_region(client, region_admin, jiujiang):
    from dandelion.stations.models import PartnerPlace

    client.force_login(region_admin)
    data = {
        "name": "甘棠便利店",
        "kind": PartnerPlace.Kind.CARING_MERCHANT,
        "status": "active",
        "region": jiujiang["street"].pk,
        "offer": "",
        "address": "甘棠路2号",
        "lat": "29.723",
        "lng": "115.996",
        "phone": "",
    }
    data |= {
        f"{p}-{k}": 0 for p in ("hours", "exceptions") for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    refused = client.post(
        "/admin/stations/partnerplace/add/", data | {"region": jiujiang["lianxi"].pk}
    )
    added = client.post("/admin/stations/partnerplace/add/", data)

    assert refused.status_code == 200 and refused.context["adminform"].form.errors["region"]
    assert added.status_code == 302, added.content.decode()[:2000]
    partner = PartnerPlace.objects.get()
    assert partner.region == jiujiang["street"] and partner.city_code == "360400"
    assert partner.h3_r9 == h3_cells(29.723, 115.996)["h3_r9"]


def test_a_region_admin_sees_the_partner_places_of_their_region_only(
    client, region_admin, jiujiang
):
    from dandelion.stations.services import partner_create

    place = {"kind": "caring_merchant", "address": "路1号", "lat": 29.72, "lng": 115.99}
    partner_create(name="甘棠便利店", region=jiujiang["street"], **place)
    partner_create(name="濂溪便利店", region=jiujiang["lianxi"], **place)
    client.force_login(region_admin)

    html = client.get("/admin/stations/partnerplace/").content.decode()

    assert "甘棠便利店" in html and "濂溪便利店" not in html


def test_a_station_manager_still_cannot_add_and_keeps_the_region(client, make_station, jiujiang):
    from dandelion.accounts.models import User
    from dandelion.accounts.services.roles import role_assign

    mine = make_station(name="我的驿站")
    manager = User.objects.create_user(username="manager", password="pw-manager-2026")
    role_assign(user=manager, role="station_manager", station=mine)
    client.force_login(manager)

    assert (
        client.post(
            "/admin/stations/station/add/", new_station_data(jiujiang["xunyang"])
        ).status_code
        == 403
    )
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get("/admin/stations/partnerplace/add/").status_code == 403
    response = client.post(
        f"/admin/stations/station/{mine.pk}/change/",
        change_form_data(mine, name="我的新驿站", region=jiujiang["lianxi"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.name, mine.region) == ("我的新驿站", jiujiang["xunyang"])
    assert list(Station.objects.values_list("name", flat=True)) == ["我的新驿站"]


def test_a_region_admin_imports_and_rows_outside_their_region_are_reported(
    client, region_admin, jiujiang
):
    client.force_login(region_admin)
    assert IMPORT_URL in client.get(CHANGELIST_URL).content.decode()
    outside = [*GOOD_ROW]
    outside[0], outside[1] = "濂溪驿站", "360402"

    refused = client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW, outside)})
    partial = client.post(IMPORT_URL, {"file": csv_upload(GOOD_ROW, outside), "only_valid": "on"})

    assert "<td>3</td><td>区划代码</td><td>区划 360402 不在你的管辖范围内</td>" in (
        refused.content.decode()
    )
    html = partial.content.decode()
    assert "新建 1" in html and "跳过 1 行有误的数据" in html
    assert "<td>3</td><td>区划代码</td><td>区划 360402 不在你的管辖范围内</td>" in html
    assert list(Station.objects.values_list("name", flat=True)) == ["甘棠驿站"]


def test_an_import_cannot_update_a_station_outside_the_region(
    client, region_admin, make_station, jiujiang
):
    make_station(name="濂溪驿站", region=jiujiang["lianxi"], address="旧地址")
    client.force_login(region_admin)
    row = [*GOOD_ROW]
    row[0], row[1] = "濂溪驿站", "360402"

    response = client.post(IMPORT_URL, {"file": csv_upload(row)})

    assert "<td>2</td><td>区划代码</td><td>区划 360402 不在你的管辖范围内</td>" in (
        response.content.decode()
    )
    assert Station.objects.get().address == "旧地址"


@pytest.mark.parametrize(("person", "offered"), [("admin_x", True), ("dispatcher_x", False)])
def test_the_visit_code_is_offered_to_those_who_may_print_it(client, world, person, offered):
    # A dispatcher may view the station in the admin but not print its visit code (打卡码).
    client.force_login(getattr(world, person))
    station = world.station_x

    response = client.get(f"/admin/stations/station/{station.pk}/change/")

    assert response.status_code == 200
    assert (f"/stations/{station.pk}/poster/" in response.content.decode()) is offered
