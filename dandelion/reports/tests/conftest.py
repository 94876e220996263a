"""A small reporting world: categories of Jiujiang, organisations that handle them, routing
rules at district and street level, staff of each role, workers, and photo helpers."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import *  # noqa: F403
from dandelion.core import events
from dandelion.orgs.services import membership_add, organisation_create
from dandelion.orgs.testing import *  # noqa: F403
from dandelion.regions.services import region_upsert
from dandelion.reports import services
from dandelion.reports.events import ReportAccepted

# Near 甘棠街道's centre (29.722, 115.995): the point the tests report at.
HERE = (29.7225, 115.9952)


def jpeg_bytes(size=(64, 48), color=(200, 80, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo(name="photo.jpg", data=None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published():
    """Every `reports.report_accepted` event delivered while the test runs."""
    seen = []

    def handler(payload):
        seen.append(payload)

    events.subscribe(ReportAccepted, handler)
    yield seen
    events._handlers[ReportAccepted.name].remove(handler)


@pytest.fixture
def rw(jiujiang, make_user, make_worker):
    """Categories, organisations, routing and people of the reporting tests."""
    w = SimpleNamespace(**jiujiang)
    w.street_2 = region_upsert(
        code="360403002",
        name="湓浦街道",
        parent=jiujiang["xunyang"],
        center_lat=29.7250,
        center_lng=115.9850,
    )
    w.street_l = region_upsert(
        code="360402001",
        name="十里街道",
        parent=jiujiang["lianxi"],
        center_lat=29.6700,
        center_lng=116.0200,
    )
    city = jiujiang["city"]
    w.garbage, _ = services.category_upsert(
        region=city, code="garbage", name="暴露垃圾", name_en="Open garbage", icon="🗑"
    )
    w.lift, _ = services.category_upsert(
        region=city,
        code="broken_lift",
        name="电梯故障",
        name_en="Broken lift",
        attributes=[
            {
                "code": "floor",
                "description": "哪一层？",
                "datatype": "number",
                "required": True,
            },
            {
                "code": "trapped",
                "description": "有人被困吗？",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [{"key": "yes", "name": "有"}, {"key": "no", "name": "没有"}],
            },
        ],
    )
    w.manhole, _ = services.category_upsert(
        region=city, code="manhole", name="井盖破损", name_en="Broken manhole cover"
    )
    # Offered only in 濂溪区: not at HERE.
    w.lianxi_only, _ = services.category_upsert(
        region=jiujiang["lianxi"], code="lianxi_only", name="濂溪专属"
    )

    w.street_office = organisation_create(
        name="甘棠街道办事处", kind="street_office", region=jiujiang["street"]
    )
    w.urban = organisation_create(
        name="浔阳区城管局", kind="government_department", region=jiujiang["xunyang"]
    )
    w.property = organisation_create(
        name="甘棠物业公司", kind="property_company", region=jiujiang["street"]
    )
    w.lianxi_office = organisation_create(
        name="濂溪区城管局", kind="government_department", region=jiujiang["lianxi"]
    )
    # District: everything to the urban management bureau; the street: garbage to the street
    # office, lifts to the property company.
    services.routing_rule_set(region=jiujiang["xunyang"], category=None, organisation=w.urban)
    services.routing_rule_set(
        region=jiujiang["street"], category=w.garbage, organisation=w.street_office
    )
    services.routing_rule_set(region=jiujiang["street"], category=w.lift, organisation=w.property)

    def staff(name, role, **scope):
        user = make_user(name=name)
        role_assign(user=user, role=role, **scope)
        return user

    w.admin = staff("浔阳管理员", "region_admin", region=jiujiang["xunyang"])
    w.dispatcher = staff("浔阳调度", "dispatcher", region=jiujiang["xunyang"])
    w.dispatcher_l = staff("濂溪调度", "dispatcher", region=jiujiang["lianxi"])
    w.auditor = staff("浔阳审计", "auditor", region=jiujiang["xunyang"])
    w.office_handler = staff("街道经办", "department_handler", organisation=w.street_office)
    w.urban_handler = staff("城管经办", "department_handler", organisation=w.urban)
    w.property_handler = make_user(name="物业经办")
    membership_add(organisation=w.property, user=w.property_handler, role="handler")

    w.worker = make_worker(name="骑手甲", phone="13800001111")
    w.other_worker = make_worker(name="骑手乙", phone="13800002222")
    w.third_worker = make_worker(name="骑手丙", phone="13800003333")
    return w


@pytest.fixture
def make_report(rw):
    def make(*, category="garbage", at=HERE, reporter=None, photos=1, **fields):
        return services.report_create(
            reporter=reporter or rw.worker,
            category_code=category,
            lat=at[0],
            lng=at[1],
            description=fields.pop("description", "路边堆了一大堆垃圾"),
            photos=[photo() for _ in range(photos)],
            **fields,
        )

    return make
