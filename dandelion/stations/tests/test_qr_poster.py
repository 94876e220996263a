"""Visit QR codes (打卡码: SVG, PNG) and the printable poster: only for those who run the
station, right types, right URL."""

import io
from xml.etree import ElementTree

import pytest
from PIL import Image

from dandelion.accounts.services import role_assign
from dandelion.core import qr as core_qr
from dandelion.stations import qr
from dandelion.stations.services import station_update


@pytest.fixture
def staff_client(client, make_user, station):
    """Signed in as the station's manager, who prints its poster."""
    manager = make_user(name="站长")
    role_assign(user=manager, role="station_manager", station=station)
    client.force_login(manager)
    return client


@pytest.fixture
def station(make_station):
    from datetime import time

    return make_station(
        name="甘棠驿站",
        amenities=["hot_water", "toilet"],
        hours=[(d, time(8), time(20)) for d in range(5)],
    )


def visit_url(station) -> str:
    return f"http://testserver/v/{station.visit_code}"


def png_modules(png: bytes, *, scale: int, border: int) -> list[list[bool]]:
    """Read the dark/light modules back out of a QR image, sampling each module's centre."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale - 2 * border
    return [
        [
            image.getpixel(
                ((col + border) * scale + scale // 2, (row + border) * scale + scale // 2)
            )
            < 128
            for col in range(size)
        ]
        for row in range(size)
    ]


def test_visit_path_carries_the_secret_visit_code_not_the_public_uuid(station):
    assert qr.station_visit_path(station) == f"/v/{station.visit_code}"
    assert str(station.uuid) not in qr.station_visit_path(station)
    assert len(station.visit_code) >= 32  # 192 random bits, URL-safe


def test_every_station_has_its_own_code(make_station):
    codes = {make_station(name=f"驿站{i}").visit_code for i in range(5)}
    assert len(codes) == 5


def test_png_is_a_qr_code_of_the_visit_url(staff_client, station):
    response = staff_client.get(f"/stations/{station.pk}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "no-store" in response["Cache-Control"]  # a rotation must not leave an old code
    expected = core_qr.qr_code(visit_url(station))
    modules = png_modules(response.content, scale=core_qr.PNG_SCALE, border=4)
    assert modules == [[bool(m) for m in row] for row in expected.matrix]


def test_svg_is_the_segno_code_of_the_visit_url(staff_client, station):
    response = staff_client.get(f"/stations/{station.pk}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert response.content == core_qr.qr_svg(visit_url(station))
    assert visit_url(station) in response.content.decode()  # as the <title>


def test_site_url_wins_over_the_request_host(staff_client, station, settings):
    settings.SITE_URL = "https://dandelion.jiujiang.example/"

    response = staff_client.get(f"/stations/{station.pk}/qr.svg")

    assert response.content == core_qr.qr_svg(
        f"https://dandelion.jiujiang.example/v/{station.visit_code}"
    )


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "poster/"])
def test_unknown_and_closed_stations_have_no_code(staff_client, station, suffix):
    assert staff_client.get(f"/stations/{station.pk + 1000}/{suffix}").status_code == 404

    station_update(station=station, status="closed")

    assert staff_client.get(f"/stations/{station.pk}/{suffix}").status_code == 404


def test_suspended_stations_keep_their_code(staff_client, station):
    station_update(station=station, status="suspended")

    assert staff_client.get(f"/stations/{station.pk}/qr.png").status_code == 200


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "poster/"])
def test_codes_and_poster_need_a_sign_in(client, station, suffix):
    response = client.get(f"/stations/{station.pk}/{suffix}")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "poster/"])
@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("worker_x", 403),  # a worker
        ("leader_x", 403),  # a volunteer-team leader (organiser): is_staff, but runs no station
        ("secretary_x", 403),  # a party-branch secretary of the station's own branch
        ("dispatcher_x", 403),  # staff of the station's district who do not run stations
        ("auditor_x", 403),
        # Those who print posters elsewhere are told it is not theirs as if it did not exist.
        ("manager_l", 404),  # the manager of another station
        ("admin_l", 404),  # a region admin of another district
    ],
)
def test_nobody_but_those_who_run_the_station_gets_its_code(client, world, person, status, suffix):
    client.force_login(getattr(world, person))

    response = client.get(f"/stations/{world.station_x.pk}/{suffix}")

    assert response.status_code == status
    assert "/v/" not in response.content.decode(errors="replace")
    assert world.station_x.visit_code not in response.content.decode(errors="replace")
    # An id no station has is refused the same way, so the ids tell nothing.
    assert client.get(f"/stations/{world.station_x.pk + 1000}/{suffix}").status_code == status


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "poster/"])
@pytest.mark.parametrize("person", ["manager_x", "admin_x"])
def test_the_station_manager_and_the_region_admin_get_the_code(client, world, person, suffix):
    client.force_login(getattr(world, person))

    assert client.get(f"/stations/{world.station_x.pk}/{suffix}").status_code == 200


def test_a_team_leader_is_staff_yet_refused(client, world):
    # What the check used to rest on: any role grant or leadership sets is_staff.
    world.leader_x.refresh_from_db()
    assert world.leader_x.is_staff
    client.force_login(world.leader_x)

    for station in (world.station_x, world.station_l):
        assert client.get(f"/stations/{station.pk}/qr.png").status_code == 403


def test_a_superuser_gets_every_code(admin_client, world):
    assert admin_client.get(f"/stations/{world.station_l.pk}/qr.svg").status_code == 200


def test_poster_shows_name_code_hours_and_amenities(staff_client, station):
    response = staff_client.get(f"/stations/{station.pk}/poster/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>甘棠驿站</h1>" in html
    assert core_qr.qr_svg_inline(visit_url(station)) in html
    assert "@page { size: A4; margin: 0 }" in html
    assert "扫码打卡 · 蒲公英" in html
    assert "周一至周五 08:00-20:00" in html
    assert "热水" in html and "卫生间" in html and "♨️" in html
    assert "综合站" in html and station.address in html
    assert "<link" not in html and "@font-face" not in html  # self-contained, system fonts


def test_poster_of_a_24_hour_station(client, make_user, make_station):
    station = make_station(is_24h=True)
    manager = make_user(name="站长")
    role_assign(user=manager, role="station_manager", station=station)
    client.force_login(manager)

    html = client.get(f"/stations/{station.pk}/poster/").content.decode()

    assert "24小时开放" in html
