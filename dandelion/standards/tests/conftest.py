"""A small rating world: two stations in 甘棠街道 (浔阳区), one in 濂溪区, the default standard
(loaded by migration), and staff of each role: the station's manager, a street and a district
dispatcher (reviewers), a Lianxi dispatcher (out of scope), the Xunyang region admin."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.regions.services import region_upsert


def photo(name="evidence.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 160, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sw(jiujiang, make_station, make_user, make_worker):
    w = SimpleNamespace(**jiujiang)
    w.street_2 = region_upsert(
        code="360403002",
        name="湓浦街道",
        parent=jiujiang["xunyang"],
        center_lat=29.725,
        center_lng=115.985,
    )
    w.station = make_station(
        name="甘棠驿站",
        region=jiujiang["street"],
        lat=29.7225,
        lng=115.9952,
        amenities=["drinking_water", "hot_water", "microwave", "first_aid", "rest_seats"],
        area_m2=24,
    )
    w.station_2 = make_station(name="湓浦驿站", region=w.street_2, lat=29.725, lng=115.985)
    w.station_l = make_station(
        name="濂溪驿站", region=jiujiang["lianxi"], lat=29.6717, lng=116.0253
    )

    def staff(name, role, **scope):
        user = make_user(name=name)
        role_assign(user=user, role=role, **scope)
        return user

    w.manager = staff("甘棠站长", "station_manager", station=w.station)
    w.manager_2 = staff("湓浦站长", "station_manager", station=w.station_2)
    w.street_reviewer = staff("甘棠调度", "dispatcher", region=jiujiang["street"])
    w.street_2_reviewer = staff("湓浦调度", "dispatcher", region=w.street_2)
    w.district_reviewer = staff("浔阳调度", "dispatcher", region=jiujiang["xunyang"])
    w.lianxi_reviewer = staff("濂溪调度", "dispatcher", region=jiujiang["lianxi"])
    w.admin = staff("浔阳管理员", "region_admin", region=jiujiang["xunyang"])
    w.city_admin = staff("九江管理员", "region_admin", region=jiujiang["city"])
    w.worker = make_worker(name="骑手甲")
    return w
