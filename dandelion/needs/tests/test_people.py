"""A worker's needs in their data export, and what deleting their account leaves behind."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dandelion.accounts.services import account_anonymise
from dandelion.core.photos import atomic_with_files
from dandelion.needs import photos, services
from dandelion.needs.models import MicroWish, Need, NeedEvent, NeedPhoto, NeedRating

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("door.png", buffer.getvalue(), content_type="image/png")


def test_deleting_the_account_clears_the_workers_words_photos_and_place(
    needs_world, make_need_in, settings, tmp_path, django_capture_on_commit_callbacks
):
    # Given a rated and reopened need with a photo, and a wish on the wall
    settings.MEDIA_ROOT = tmp_path
    w = needs_world
    need = make_need_in("resolved")
    services.need_rate(need=need, actor=w.worker_x, stars=1, comment="甘棠北路的物业又把我拦下了")
    services.need_reopen(need=need, actor=w.worker_x, reason="我的电话是13800000001，请回电")
    with atomic_with_files() as files:
        (photo,) = photos.photos_attach(
            need=need, images=photos.photos_validate([_png()]), files=files
        )
    photo_path = tmp_path / photo.image.name
    assert photo_path.exists()
    wish = services.wish_create(worker=w.worker_x, title="想要一个新头盔", need=need)

    # When the worker deletes their account
    with django_capture_on_commit_callbacks(execute=True):
        account_anonymise(user=w.worker_x)

    # Then the need stays for the office, without what the worker wrote or showed
    need = Need.objects.get(pk=need.pk)
    assert (need.description, need.answers, need.address) == ("", {}, "")
    worker_notes = NeedEvent.objects.filter(need=need, actor_role=NeedEvent.Role.WORKER)
    assert worker_notes.count() >= 3 and set(worker_notes.values_list("note", flat=True)) == {""}
    assert NeedEvent.objects.get(need=need, action="resolve").note == "已处理"
    rating = NeedRating.objects.get(need=need)
    assert (rating.stars, rating.comment) == (1, "")
    assert not NeedPhoto.objects.filter(need=need).exists()
    assert not photo_path.exists()
    wish = MicroWish.objects.get(pk=wish.pk)
    assert (wish.state, wish.description) == ("withdrawn", "")


def test_the_export_lists_the_workers_needs_and_wishes(needs_world, submit):
    w = needs_world
    need = submit()
    services.wish_create(worker=w.worker_x, title="想要一个新头盔")
    exported = services.needs_export(w.worker_x)
    assert [n["id"] for n in exported["needs"]] == [need.pk]
    assert exported["needs"][0]["events"][0]["action"] == "submit"
    assert [wish["title"] for wish in exported["wishes"]] == ["想要一个新头盔"]
    assert services.needs_export(w.worker_l) == {"needs": [], "wishes": []}
