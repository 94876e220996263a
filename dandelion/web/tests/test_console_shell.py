"""The staff console's shell: sign-in, sections by permission, the services hub."""

import pytest
from django.utils.translation import gettext_lazy

from dandelion.accounts.testing import *  # noqa: F403
from dandelion.accounts.testing import client_for
from dandelion.core import console, h5
from dandelion.core.permissions import can
from dandelion.notifications.services import notification_send
from dandelion.orgs.testing import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    console.register_section(
        "tests.stations",
        label=gettext_lazy("驿站测试"),
        url_name="console:inbox",
        visible=lambda user: can(user, "station.change"),
    )
    yield
    del console._sections["tests.stations"]


def test_anonymous_goes_to_sign_in(client):
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=")


def test_worker_without_sections_is_refused(make_worker, section):
    response = client_for(make_worker()).get("/console/")
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in response.content.decode()


def test_staff_see_the_sections_their_roles_allow(world, section):
    page = client_for(world.admin_x).get("/console/")
    assert page.status_code == 200
    assert 'data-section="tests.stations"' in page.content.decode()
    # An auditor may not change stations, so is not offered the section.
    other = client_for(world.auditor_x).get("/console/")
    assert 'data-section="tests.stations"' not in other.content.decode()


def test_sign_in_with_password(world, section, client):
    staff = world.admin_x
    staff.set_password("s3cret-pass!")
    staff.save()
    bad = client.post("/console/login/", {"username": staff.username, "password": "wrong"})
    assert bad.status_code == 200
    assert staff.username in bad.content.decode()  # the username is kept
    good = client.post("/console/login/", {"username": staff.username, "password": "s3cret-pass!"})
    assert good.status_code == 302 and good["Location"] == "/console/"


def test_services_hub_lists_registered_entries(client):
    h5.register_service_entry(
        "tests.entry", label=gettext_lazy("测试服务"), url_name="web:map", icon="★"
    )
    try:
        page = client.get("/services/").content.decode()
    finally:
        del h5._service_entries["tests.entry"]
    assert 'data-entry="tests.entry"' in page and "测试服务" in page


def test_someone_without_console_access_can_sign_in_as_someone_else(world, make_worker, section):
    worker = make_worker()
    client = client_for(worker)
    assert client.get("/console/").status_code == 403
    form = client.get("/console/login/")
    assert form.status_code == 200 and 'name="password"' in form.content.decode()
    staff = world.admin_x
    staff.set_password("s3cret-pass!")
    staff.save()
    signed_in = client.post(
        "/console/login/", {"username": staff.username, "password": "s3cret-pass!"}
    )
    assert signed_in.status_code == 302
    assert client.get("/console/").status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
def test_inbox_page_takes_a_fixed_number_of_queries(
    world, section, rows, django_assert_num_queries
):
    for i in range(rows):
        notification_send(recipients=[world.admin_x], kind="tests.unknown", params={"n": i})
    client = client_for(world.admin_x)
    client.get("/console/inbox/")  # the session, once

    with django_assert_num_queries(7):
        response = client.get("/console/inbox/")

    assert response.status_code == 200
