import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign
from dandelion.accounts.testing import client_for
from dandelion.core.errors import InvalidInput, NotFound
from dandelion.regions import selectors
from dandelion.regions.divisions import city_code_for, code_prefix, level_for_code
from dandelion.regions.models import Region
from dandelion.regions.services import regions_load_csv


@pytest.mark.parametrize(
    ("code", "prefix", "level", "city"),
    [
        ("360000", "36", "province", "360000"),
        ("360400", "3604", "city", "360400"),
        ("360403", "360403", "district", "360400"),
        ("360403001", "360403001", "street", "360400"),
        ("360403001002", "360403001002", "community", "360400"),
    ],
)
def test_division_code_rules(code, prefix, level, city):
    assert code_prefix(code) == prefix
    assert level_for_code(code) == level
    assert city_code_for(code) == city


def test_regions_within_uses_the_code_prefix(jiujiang):
    within_xunyang = set(selectors.regions_within(code="360403").values_list("code", flat=True))
    assert within_xunyang == {"360403", "360403001", "360403001001"}
    assert "360402" in set(selectors.regions_within(code="360400").values_list("code", flat=True))
    with pytest.raises(NotFound):
        selectors.regions_within(code="110101")


def test_every_region_carries_its_city_code(jiujiang):
    assert set(Region.objects.exclude(level="province").values_list("city_code", flat=True)) == {
        "360400"
    }


CSV = """code,name,parent_code,name_en,lat,lng
360000,江西省,,Jiangxi,,
360400,九江市,360000,Jiujiang,29.705,116.0019
360404,柴桑区,360400,Chaisang,29.6086,115.9113
360404001,沙河街道,,,29.61,115.90
"""


@pytest.mark.django_db
def test_csv_loader_loads_and_links_parents():
    assert regions_load_csv(text=CSV) == 4
    street = Region.objects.get(code="360404001")
    assert street.parent.code == "360404"  # found by the containing code when no parent is given
    assert street.level == "street"
    # Loading again changes nothing.
    assert regions_load_csv(text=CSV) == 4
    assert Region.objects.count() == 4


@pytest.mark.django_db
def test_csv_loader_reports_every_bad_row_and_writes_nothing():
    bad = (
        "code,name,parent_code,lat,lng\n"
        "360000,江西省,,,\n"
        "36040,短代码,,,\n"
        "360400,,360000,,\n"
        "360403,浔阳区,999999,,\n"
        "360402,濂溪区,,91,116\n"
    )
    with pytest.raises(InvalidInput) as err:
        regions_load_csv(text=bad)
    assert [e["line"] for e in err.value.errors] == [3, 4, 5, 6]
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_load_regions_command(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("load_regions", str(path))
    assert Region.objects.count() == 4
    path.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_regions", str(path))


def test_regions_near_offers_only_places_around_the_point(jiujiang):
    from dandelion.regions.services import region_upsert

    beijing = region_upsert(code="110000", name="北京市")
    region_upsert(
        code="110101001", name="东华门街道", parent=beijing, center_lat=39.91, center_lng=116.40
    )
    streets = selectors.regions_near(
        lat=29.705, lng=116.0019, degrees=1.5, levels=[Region.Level.STREET]
    )
    assert list(streets.values_list("code", flat=True)) == ["360403001"]
    named = selectors.regions_near(
        lat=29.705, lng=116.0019, degrees=1.5, levels=["district", "street"], text="浔阳"
    )
    assert list(named.values_list("code", flat=True)) == ["360403"]


@pytest.mark.django_db
def test_the_division_tree_is_kept_by_superusers_only_in_the_admin(jiujiang):
    staff = User.objects.create(username="admin_x")
    role_assign(user=staff, role="region_admin", region=jiujiang["xunyang"])
    assert client_for(staff).get("/admin/regions/region/").status_code == 403
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    page = client_for(root).get("/admin/regions/region/")
    assert page.status_code == 200 and "甘棠街道" in page.content.decode()
