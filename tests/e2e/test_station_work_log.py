"""A station manager, in the console (我的驿站), corrects the station's seats, confirms its
facts and logs a fridge refill (a first try without the bottles is refused beside the field,
the input kept); the entry tops the log and the station page shows it."""

import pytest
from playwright.sync_api import expect

from dandelion.accounts.models import User
from dandelion.accounts.services import role_assign

pytestmark = pytest.mark.browser
PASSWORD = "work-log-pass-2026"


def test_a_manager_confirms_facts_and_logs_a_refill(live_server, places, make_page, screenshot):
    station = places["gantang"]
    manager = User(username="gantang_manager", display_name="甘棠站长", is_staff=True)
    manager.set_password(PASSWORD)
    manager.save()
    role_assign(user=manager, role="station_manager", station=station)

    page = make_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/console/login/?next=/console/stations/")
    page.locator("input[name=username]").fill("gantang_manager")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("#my-stations").get_by_role("link", name="甘棠驿站").click()

    expect(page.get_by_test_id("facts-confirmed")).to_have_text("从未核实")
    page.locator("#id_seats").fill("16")
    page.locator(".station-facts__form").get_by_role("button", name="保存").click()
    expect(page.locator("#id_seats")).to_have_value("16")
    page.locator('[data-action="confirm-facts"]').click()
    expect(page.get_by_test_id("facts-confirmed")).not_to_have_text("从未核实")

    form = page.locator("#work-log-form")
    form.locator("#id_kind").select_option("drinks_refill")
    form.locator("#id_note").fill("补了两箱矿泉水")
    form.get_by_role("button", name="记录").click()
    expect(form).to_contain_text("冰箱补给请填写发放的瓶数。")
    expect(form.locator("#id_note")).to_have_value("补了两箱矿泉水")
    form.locator("#id_bottles").fill("48")
    form.get_by_role("button", name="记录").click()

    expect(page.locator("#work-log-table tbody tr").first).to_contain_text("冰箱补给")
    expect(page.locator("#work-log-table tbody tr").first).to_contain_text("48")
    expect(page.get_by_test_id("month-summary")).to_contain_text("发放饮品 48 瓶")
    screenshot(page, full_page=True)

    page.goto(f"{live_server.url}/s/{station.pk}/")
    expect(page.locator("#station-services")).to_contain_text("发放 48 瓶")
    page.close()  # no request of the page's scripts outlives the test's database
