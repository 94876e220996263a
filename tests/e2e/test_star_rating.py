"""A station is rated in the console (星级评定): its manager self-assesses with evidence photos
and submits; the street's reviewer scores every indicator and reviews; the district's region
admin approves, which awards the star level; the station then carries its stars in the
console and in the workers' nearby search filtered by `min_stars`."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign
from dandelion.standards import services
from dandelion.stations.models import Station

pytestmark = pytest.mark.browser
PASSWORD = "stars-pass-2026"
DESKTOP = {"width": 1280, "height": 900}


def staff(username: str, name: str, role: str, **scope) -> User:
    user = User(username=username, display_name=name, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    role_assign(user=user, role=role, **scope)
    return user


def sign_in(make_page, live_server, username: str, next_url: str):
    page = make_page()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/console/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def jpeg(tmp_path, name: str):
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 150, 90)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_self_assessment_review_and_approval_award_the_stars(
    live_server, jiujiang, places, make_page, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    station = places["gantang"]
    staff("gantang_manager", "甘棠站长", "station_manager", station=station)
    staff("street_reviewer", "甘棠调度", "dispatcher", region=jiujiang["street"])
    admin = staff("xunyang_admin", "浔阳管理员", "region_admin", region=jiujiang["xunyang"])
    assessment = services.assessment_open(actor=admin, station_id=station.pk)
    url = f"/console/standards/assessments/{assessment.pk}/"

    # The station manager scores every manual indicator, uploads the evidence and submits.
    page = sign_in(make_page, live_server, "gantang_manager", url)
    expect(page.locator("h1")).to_contain_text("甘棠驿站")
    inputs = page.locator('input[name^="self_points:"]')
    for n in range(inputs.count()):
        field = inputs.nth(n)
        if field.get_attribute("name") != "self_points:H9":
            field.fill(field.get_attribute("max"))
    page.locator("#save-scores").click()
    expect(page.locator(".console-message_success")).to_be_visible()
    for code in ("A2", "B3", "C3", "D2", "H1"):
        form = page.locator("#evidence-form")
        form.locator("select[name=indicator]").select_option(code)
        form.locator("input[name=photo]").set_input_files(str(jpeg(tmp_path, f"{code}.jpg")))
        form.get_by_role("button", name="上传").click()
        expect(page.locator(".console-message_success")).to_contain_text("佐证")
    expect(page.locator('tr[data-code="A2"] .evidence-thumbs img')).to_have_count(1)
    screenshot(page, "1-self-assessment", full_page=True)
    page.locator('[data-action="submit"]').click()
    expect(page.locator('[data-testid="state"]')).to_have_attribute("data-state", "self_assessed")

    # The street's reviewer scores what was not measured (full marks) and keeps the measures.
    page = sign_in(make_page, live_server, "street_reviewer", url)
    reviewed = page.locator('input[name^="reviewed_points:"]')
    for n in range(reviewed.count()):
        field = reviewed.nth(n)
        code = field.get_attribute("name").split(":")[1]
        measured = page.locator(f'tr[data-code="{code}"][data-measured]')
        if measured.count() == 0 and code != "H9":
            field.fill(field.get_attribute("max"))
    page.locator("#save-scores").click()
    expect(page.locator(".console-message_success")).to_be_visible()
    page.locator("#moves input[name=note]").fill("现场核查属实")
    page.locator('[data-action="review"]').click()
    expect(page.locator('[data-testid="state"]')).to_have_attribute("data-state", "reviewed")
    screenshot(page, "2-reviewed", full_page=True)

    # The region admin approves: the level is computed and awarded.
    page = sign_in(make_page, live_server, "xunyang_admin", url)
    page.locator('[data-action="approve"]').click()
    expect(page.locator('[data-testid="state"]')).to_have_attribute("data-state", "approved")
    stars = Station.objects.get(pk=station.pk).stars
    assert stars >= 1
    expect(page.locator('[data-testid="stars"]')).to_have_text(f"{stars}★")
    screenshot(page, "3-approved", full_page=True)

    # The station carries its stars: in the console's star table and in nearby search.
    page.goto(f"{live_server.url}/console/standards/stars/?region=360403")
    expect(page.locator(f'#star-table tr[data-station="{station.pk}"]')).to_contain_text(
        "★" * stars
    )
    screenshot(page, "4-star-table", full_page=True)
    worker = make_page()
    near = f"lat={station.lat}&lng={station.lng}"
    found = worker.request.get(f"{live_server.url}/api/v1/stations/nearby?{near}&min_stars={stars}")
    assert station.pk in [item["id"] for item in found.json()["items"]]
    above = worker.request.get(
        f"{live_server.url}/api/v1/stations/nearby?{near}&min_stars={stars + 1}"
    )
    assert station.pk not in [item["id"] for item in above.json().get("items", [])]
