"""Photo work one request can cause is bounded, JPEGs decode at a reduced scale, and phones'
multi-picture JPEGs (MPO) are accepted by their first picture."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dandelion.core import photos
from dandelion.core.errors import InvalidInput, RateLimited


def _upload(fmt: str, size: tuple[int, int], name: str = "p", **options) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt, **options)
    return SimpleUploadedFile(f"{name}.{fmt.lower()}", out.getvalue())


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_its_first_picture():
    # Given an MPO: a primary 1200 × 900 picture with a second, smaller picture after it
    out = io.BytesIO()
    primary = Image.new("RGB", (1200, 900), (250, 10, 10))
    gain_map = Image.new("RGB", (300, 225), (10, 10, 250))
    primary.save(out, format="MPO", save_all=True, append_images=[gain_map])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    # When it is processed
    [done] = photos.photos_process([SimpleUploadedFile("ultra-hdr.jpg", out.getvalue())])
    # Then the primary picture is kept, re-encoded as a plain JPEG without metadata
    stored = Image.open(io.BytesIO(done.image.read()))
    assert stored.format == "JPEG" and (done.width, done.height) == (1200, 900)
    assert stored.getpixel((600, 450))[0] > 200
    assert not stored.info.get("exif")
    assert getattr(stored, "n_frames", 1) == 1


def test_photos_that_together_decode_to_too_many_pixels_are_refused_before_any_decoding(
    monkeypatch,
):
    # Given four 20 MP PNGs: each is allowed alone, together they pass the request's budget
    uploads = [_upload("PNG", (5000, 4000), name=str(i)) for i in range(4)]
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", lambda self: decoded.append(self))
    # When they are processed as one submission
    with pytest.raises(InvalidInput) as info:
        photos.photos_process(uploads)
    # Then the submission is refused, naming the photos field, and nothing was decoded
    assert info.value.code == "photos_too_many_pixels"
    assert [e["field"] for e in info.value.errors] == ["photos"]
    assert decoded == []


def test_one_large_png_alone_is_within_the_budget():
    [done] = photos.photos_process([_upload("PNG", (5000, 4000))])
    assert max(done.width, done.height) == photos.STORED_MAX_SIDE


def test_a_large_jpeg_decodes_at_a_reduced_scale(monkeypatch):
    # Given a 6000 × 4000 phone JPEG
    upload = _upload("JPEG", (6000, 4000), quality=60)
    sizes = []
    finished = photos._finished

    def spy(source, *, field):
        sizes.append(source.size)
        return finished(source, field=field)

    monkeypatch.setattr(photos, "_finished", spy)
    [done] = photos.photos_process([upload])
    # Then the decoder produced half the width and height (a quarter of the pixels), still more
    # than the stored size needs
    assert sizes == [(3000, 2000)]
    assert (done.width, done.height) == (2560, 1707)


def test_many_phone_jpegs_fit_in_one_submission():
    uploads = [_upload("JPEG", (8000, 6000), name=str(i), quality=40) for i in range(4)]
    assert len(photos.photos_process(uploads)) == 4


def test_a_big_submission_while_another_is_decoding_is_told_to_retry(settings, tmp_path):
    # Given one decoding slot, held by another request
    settings.PHOTO_DECODE_SLOTS = 1
    settings.PHOTO_DECODE_WAIT_SECONDS = 0
    settings.PHOTO_LOCK_DIR = str(tmp_path)
    # When a big submission arrives
    with photos.decoding_slot(), pytest.raises(RateLimited) as info:
        photos.photos_process([_upload("PNG", (3000, 2000))])
    # Then it is a 429 with Retry-After, and a small one still goes through meanwhile
    assert info.value.code == "photos_busy" and info.value.retry_after > 0
    with photos.decoding_slot():
        assert len(photos.photos_process([_upload("PNG", (800, 600))])) == 1
    # And once the slot is free, the big one is accepted
    assert len(photos.photos_process([_upload("PNG", (3000, 2000))])) == 1
