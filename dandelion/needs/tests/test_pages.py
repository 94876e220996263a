"""The H5 and console pages: forms keep input on errors, pages offer only allowed actions."""

import pytest

from dandelion.accounts.testing import client_for
from dandelion.needs import services
from dandelion.needs.models import Need

pytestmark = pytest.mark.django_db


def test_menu_lists_items_serving_the_workers_street(needs_world):
    page = client_for(needs_world.worker_l).get("/needs/").content.decode()
    assert "电动车充电维修" in page and "劳动争议调解" not in page
    page = client_for(needs_world.worker_x).get("/needs/").content.decode()
    assert "劳动争议调解" in page


def test_the_need_form_says_who_will_handle_it(needs_world):
    """Without a routing rule a dispatcher routes the need; with one the form names the
    department it goes straight to, and promises no dispatcher."""
    w = needs_world
    client = client_for(w.worker_x)
    form = client.get("/needs/new/?item=labour_mediation").content.decode()
    assert "由调度员派给负责的部门" in form
    assert 'class="photo-picker' in form and 'data-max="3"' in form
    services.routing_rule_set(item=w.menu.mediation, region=w.xunyang, department=w.justice_x)
    form = client.get("/needs/new/?item=labour_mediation").content.decode()
    assert f"直接送到{w.justice_x.name}" in form and "调度员" not in form


def test_new_need_form_keeps_input_and_shows_errors_beside_fields(needs_world):
    client = client_for(needs_world.worker_x)
    form = client.get("/needs/new/?item=labour_mediation").content.decode()
    assert 'name="q_dispute"' in form and 'type="date"' in form and 'type="number"' in form
    response = client.post(
        "/needs/new/",
        {"item": "labour_mediation", "description": "", "q_amount": "1200", "address": "甘棠北路"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="description-error"' in page and 'id="q_dispute-error"' in page
    assert 'value="1200"' in page and 'value="甘棠北路"' in page
    assert not Need.objects.exists()
    done = client.post(
        "/needs/new/",
        {
            "item": "labour_mediation",
            "description": "欠薪",
            "q_dispute": "wages",
            "client_token": "x1",
        },
    )
    need = Need.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/needs/{need.pk}/"


def test_new_need_sends_unregistered_workers_to_register(needs_world):
    response = client_for(needs_world.outsider).get("/needs/new/")
    assert response.status_code == 302 and response["Location"].startswith("/register/")


def test_worker_pages_are_their_own(needs_world, submit):
    need = submit()
    assert client_for(needs_world.worker_x).get(f"/needs/{need.pk}/").status_code == 200
    assert client_for(needs_world.worker_l).get(f"/needs/{need.pk}/").status_code == 404
    assert client_for(None).get(f"/needs/{need.pk}/").status_code == 302


def test_rating_form_error_keeps_the_comment(needs_world, make_need_in):
    need = make_need_in("resolved")
    response = client_for(needs_world.worker_x).post(
        f"/needs/{need.pk}/rate/", {"comment": "态度很好"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="stars-error"' in page and "态度很好" in page


def test_digits_int_cannot_read_are_bad_input_not_a_server_error(needs_world, make_need_in):
    # "²" is a digit to str.isdigit() but not a number to int().
    w = needs_world
    resolved = make_need_in("resolved")
    rate = client_for(w.worker_x).post(f"/needs/{resolved.pk}/rate/", {"stars": "²"})
    assert rate.status_code == 422 and 'id="stars-error"' in rate.content.decode()
    waiting = make_need_in("submitted")
    dispatch = client_for(w.dispatcher_x).post(
        f"/console/needs/{waiting.pk}/dispatch/", {"department_id": "²"}
    )
    assert dispatch.status_code == 422
    problem = client_for(w.dispatcher_x).post(
        "/console/needs/problems/new/",
        {"title": "骑手进小区难", "region": "360403", "need_ids": "²"},
    )
    assert problem.status_code == 302  # no need named: a problem without needs


def test_console_detail_offers_only_allowed_actions(needs_world, make_need_in):
    w = needs_world
    need = make_need_in("dispatched")
    handler_page = client_for(w.handler_x).get(f"/console/needs/{need.pk}/").content.decode()
    assert 'data-action="accept"' in handler_page and 'data-action="decline"' in handler_page
    assert (
        'data-action="dispatch"' not in handler_page and 'data-action="resolve"' not in handler_page
    )
    dispatcher_page = client_for(w.dispatcher_x).get(f"/console/needs/{need.pk}/").content.decode()
    assert (
        'data-action="dispatch"' in dispatcher_page
        and 'data-action="accept"' not in dispatcher_page
    )
    assert "138****0001" in dispatcher_page and "13800000001" not in dispatcher_page
    # Another department's handler is refused as for a need that does not exist.
    assert client_for(w.justice_handler).get(f"/console/needs/{need.pk}/").status_code == 404
    assert client_for(w.worker_x).get(f"/console/needs/{need.pk}/").status_code == 403


def test_console_decline_without_reason_shows_the_error_in_its_form(needs_world, make_need_in):
    need = make_need_in("dispatched")
    response = client_for(needs_world.handler_x).post(
        f"/console/needs/{need.pk}/decline/", {"note": ""}
    )
    assert response.status_code == 422
    assert "此项为必填项" in response.content.decode()
    need.refresh_from_db()
    assert need.state == "dispatched"


def test_console_queues_are_scoped(needs_world, submit, django_assert_max_num_queries):
    w = needs_world
    waiting = submit()
    routed = submit()
    services.need_dispatch(need=routed, actor=w.dispatcher_x, department=w.justice_x)
    for _ in range(5):
        submit()
    client = client_for(w.dispatcher_x)
    client.get("/console/needs/")
    with django_assert_max_num_queries(12):
        page = client.get("/console/needs/").content.decode()
    assert f'data-need="{waiting.pk}"' in page and f'data-need="{routed.pk}"' not in page
    dept = client_for(w.justice_handler).get("/console/needs/department/").content.decode()
    assert f'data-need="{routed.pk}"' in dept and f'data-need="{waiting.pk}"' not in dept
    assert client_for(w.justice_handler).get("/console/needs/").status_code == 403
    assert client_for(w.dispatcher_x).get("/console/needs/department/").status_code == 403
    assert client_for(w.dispatcher_x).get("/console/needs/overdue/").status_code == 200
    assert client_for(w.dispatcher_x).get("/console/needs/problems/").status_code == 200
    assert client_for(w.dispatcher_x).get("/console/needs/reviews/").status_code == 200


def test_console_pager_keeps_the_filters(needs_world, submit, monkeypatch):
    from dandelion.needs.console_views import needs as need_pages

    monkeypatch.setattr(need_pages, "PAGE_SIZE", 1)
    w = needs_world
    submit()
    submit()
    services.need_dispatch(need=submit(), actor=w.dispatcher_x, department=w.office_x)
    page = client_for(w.dispatcher_x).get("/console/needs/all/?state=submitted&item=other")
    html = page.content.decode()
    assert "1 / 2" in html
    assert 'href="?state=submitted&amp;item=other&amp;page=2"' in html
    second = client_for(w.dispatcher_x).get("/console/needs/all/?state=submitted&page=2")
    assert 'href="?state=submitted&amp;page=1"' in second.content.decode()


def test_console_sections_follow_roles(needs_world):
    from dandelion.core.console import sections_for

    keys = lambda user: {s.key for s in sections_for(user)}  # noqa: E731
    assert {"needs_dispatch", "needs_overdue", "needs_problems"} <= keys(needs_world.dispatcher_x)
    assert "needs_department" in keys(needs_world.handler_x)
    assert "needs_dispatch" not in keys(needs_world.handler_x)


def test_wish_pages(needs_world):
    w = needs_world
    client = client_for(w.worker_x)
    bad = client.post("/wishes/new/", {"title": "a", "description": "为什么"})
    assert bad.status_code == 422 and "为什么" in bad.content.decode()
    created = client.post("/wishes/new/", {"title": "想要一个新头盔", "description": ""})
    assert created.status_code == 302
    wall = client_for(None).get("/wishes/").content.decode()
    assert "想要一个新头盔" in wall


def test_publishing_a_need_already_on_the_wall_says_so(needs_world, submit):
    w = needs_world
    need = submit()
    services.wish_create(worker=w.worker_x, title="想要托管", need=need)
    again = client_for(w.worker_x).post("/wishes/new/", {"need": need.pk, "title": "想要托管"})
    assert again.status_code == 422
    assert "这条诉求已经发布为微心愿" in again.content.decode()


def _jpeg_with_gps() -> bytes:
    from io import BytesIO

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (29.0, 43.0, 20.0)}  # GPSInfo: where the worker stood
    out = BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_need_photos_are_checked_and_stored_without_exif(needs_world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client = client_for(needs_world.worker_x)
    fields = {"item": "labour_mediation", "description": "欠薪", "q_dispute": "wages"}

    # A text file named .jpg is refused beside the photo input, the rest of the input kept.
    bad = client.post(
        "/needs/new/",
        {**fields, "photos": [SimpleUploadedFile("x.jpg", b"not a photo", "image/jpeg")]},
    )
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'id="photos-error"' in page and "这个文件不是图片" in page and "欠薪" in page
    assert not Need.objects.exists()

    # Four photos are one too many.
    many = client.post(
        "/needs/new/",
        {**fields, "photos": [SimpleUploadedFile(f"{i}.jpg", _jpeg_with_gps()) for i in range(4)]},
    )
    assert many.status_code == 422 and "最多上传 3 张照片" in many.content.decode()

    done = client.post(
        "/needs/new/",
        {**fields, "client_token": "p1", "photos": [SimpleUploadedFile("a.jpg", _jpeg_with_gps())]},
    )
    assert done.status_code == 302
    (photo,) = Need.objects.get().photos.all()
    with Image.open(tmp_path / photo.image.name) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_a_need_whose_write_fails_after_its_photos_were_stored_leaves_no_file(
    needs_world, settings, tmp_path, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import DatabaseError

    from dandelion.needs.models import NeedPhoto

    settings.MEDIA_ROOT = tmp_path
    save = NeedPhoto.save
    seen = []

    # Given a database that refuses the second photo's row, after both files were stored,
    def refuse_the_second(self, *args, **kwargs):
        seen.append(len([p for p in tmp_path.rglob("*") if p.is_file()]))
        if len(seen) == 2:
            raise DatabaseError("refused")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(NeedPhoto, "save", refuse_the_second)

    # when a need with two photos is submitted,
    with pytest.raises(DatabaseError):
        client_for(needs_world.worker_x).post(
            "/needs/new/",
            {
                "item": "labour_mediation",
                "description": "欠薪",
                "q_dispute": "wages",
                "photos": [SimpleUploadedFile(f"{i}.jpg", _jpeg_with_gps()) for i in range(2)],
            },
        )

    # then neither the need nor any photo file is left.
    assert seen == [1, 2]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert not Need.objects.exists() and not NeedPhoto.objects.exists()
