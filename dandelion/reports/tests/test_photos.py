"""Photos are checked by decoding real files: what is refused, and what is stored."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from dandelion.core import photos
from dandelion.core.errors import InvalidInput
from dandelion.reports.models import Report, ReportPhoto

from .conftest import HERE, jpeg_bytes, photo


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header that claims a huge canvas, with almost no data behind it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def encoded(fmt: str, mode="RGB", size=(40, 30), **options) -> bytes:
    out = io.BytesIO()
    color = (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)
    Image.new(mode, size, color).save(out, format=fmt, **options)
    return out.getvalue()


def refused(data: bytes, name="x.jpg", content_type="image/jpeg") -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        photos.photos_process([photo(), SimpleUploadedFile(name, data, content_type)])
    assert info.value.status == 422
    assert info.value.errors[0]["field"] == "photos[1]"
    return info.value


def test_a_truncated_jpeg_is_refused_as_damaged():
    whole = jpeg_bytes(size=(400, 300))
    assert refused(whole[: len(whole) // 2]).code == "photo_corrupt"


def test_a_png_claiming_a_huge_canvas_is_refused_before_decoding():
    # 100 000 × 100 000: past Pillow's own bomb limit (DecompressionBombError at open).
    assert refused(png_claiming(100_000, 100_000), "bomb.png").code == "photo_too_many_pixels"
    # 9 000 × 9 000 = 81 MP: under Pillow's limit, over ours (50 MP).
    assert refused(png_claiming(9_000, 9_000), "big.png").code == "photo_too_many_pixels"


def test_pillows_bomb_warning_is_a_refusal_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 4000)
    # 80 × 60 = 4 800 px: over the lowered limit, under twice it, so Pillow only warns (the
    # first photo, 64 × 48, is under it).
    data = encoded("PNG", size=(80, 60))
    assert refused(data, "warn.png").code == "photo_too_many_pixels"


def test_a_gif_is_refused_as_the_wrong_type_whatever_its_name():
    assert refused(encoded("GIF"), "cat.jpg", "image/jpeg").code == "photo_wrong_type"


def test_a_text_file_named_jpg_is_not_an_image():
    assert refused(b"hello, I am not a photo\n" * 20, "note.jpg").code == "photo_not_image"


def test_an_empty_file_and_an_oversized_file_are_refused():
    assert refused(b"").code == "photo_empty"
    big = jpeg_bytes() + b"\x00" * (photos.MAX_BYTES + 1)
    assert refused(big).code == "photo_too_large"


def test_at_most_four_photos():
    with pytest.raises(InvalidInput) as info:
        photos.photos_process([photo() for _ in range(5)])
    assert info.value.code == "too_many_photos"


@pytest.mark.parametrize(
    ("fmt", "mode", "options"),
    [("JPEG", "RGB", {}), ("PNG", "RGBA", {}), ("WEBP", "RGB", {"quality": 80})],
)
def test_jpeg_png_and_webp_are_stored_as_fresh_jpegs(fmt, mode, options):
    [done] = photos.photos_process(
        [SimpleUploadedFile("p.bin", encoded(fmt, mode, **options), "application/octet-stream")]
    )
    stored = Image.open(io.BytesIO(done.image.read()))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert (done.width, done.height) == (40, 30)
    thumb = Image.open(io.BytesIO(done.thumbnail.read()))
    assert thumb.format == "JPEG"


def test_exif_orientation_is_applied_and_all_exif_including_gps_is_removed():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (29.0, 43.0, 21.0), 3: "E", 4: (115.0, 59.0, 0.0)}
    source = jpeg_bytes(size=(80, 40), exif=exif)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    [done] = photos.photos_process([photo(data=source)])
    data = done.image.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.size == (40, 80)  # the pixels were turned, not just tagged
    assert not stored.getexif()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert (done.width, done.height) == (40, 80)


def test_large_photos_are_scaled_down_and_thumbnailed():
    [done] = photos.photos_process([photo(data=jpeg_bytes(size=(4000, 3000)))])
    assert max(done.width, done.height) == photos.STORED_MAX_SIDE
    thumb = Image.open(io.BytesIO(done.thumbnail.read()))
    assert max(thumb.size) == photos.THUMBNAIL_SIDE


def test_one_bad_photo_refuses_the_whole_report_and_writes_nothing(rw):
    from dandelion.reports.services import report_create

    with pytest.raises(InvalidInput) as info:
        report_create(
            reporter=rw.worker,
            category_code="garbage",
            lat=HERE[0],
            lng=HERE[1],
            description="垃圾",
            photos=[photo(), photo("bad.jpg", b"not an image")],
        )
    assert info.value.errors[0]["field"] == "photos[1]"
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def _files_in(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_report_whose_write_fails_after_its_photos_were_stored_leaves_no_file(
    rw, settings, monkeypatch
):
    from django.db import IntegrityError

    from dandelion.reports.models import ReportEvent
    from dandelion.reports.services import report_create

    media = settings.MEDIA_ROOT
    seen = []

    # Given a database that refuses the report's first event, written after its photos,
    def refuse(self, *args, **kwargs):
        seen.append(len(_files_in(media)))
        raise IntegrityError("refused")

    monkeypatch.setattr(ReportEvent, "save", refuse)

    # when a report with two photos is submitted,
    with pytest.raises(IntegrityError):
        report_create(
            reporter=rw.worker,
            category_code="garbage",
            lat=HERE[0],
            lng=HERE[1],
            description="垃圾",
            photos=[photo(), photo()],
        )

    # then the photos and thumbnails were on disk when it failed, and are gone with the rows.
    assert seen == [4]
    assert _files_in(media) == []
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_files_of_a_committed_write_stay_when_a_later_on_commit_callback_fails(settings):
    from django.core.files.base import ContentFile
    from django.db import transaction

    def fail():
        raise RuntimeError("a notification channel is down")

    # Given a write that commits, after which another on-commit callback fails,
    with pytest.raises(RuntimeError), photos.atomic_with_files() as files:
        files.save(ReportPhoto().image, "kept.jpg", ContentFile(jpeg_bytes()))
        transaction.on_commit(fail)

    # then the committed write's file stays: only a rollback takes files back.
    assert files.committed
    assert [path.name for path in _files_in(settings.MEDIA_ROOT)] == ["kept.jpg"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("url", ["/api/v1/reports", "/reports/new/"])
def test_photos_are_decoded_before_the_reports_transaction_opens(rw, monkeypatch, url):
    """A long decode must not hold the database: SQLite takes its write lock when a
    transaction begins, so the photos are decoded before the report's transaction opens."""
    from django.db import connection

    from dandelion.accounts.testing import client_for
    from dandelion.reports.services import submitting

    seen = []

    def recording(uploads, **kwargs):
        seen.append(connection.in_atomic_block)
        return photos.photos_process(uploads, **kwargs)

    monkeypatch.setattr(submitting, "photos_process", recording)
    form = {
        "category": "garbage",
        "lat": str(HERE[0]),
        "lng": str(HERE[1]),
        "description": "垃圾",
        "photos": [photo()],
    }
    response = client_for(rw.worker).post(url, form)
    assert response.status_code in (201, 302), response.content
    assert seen == [False] and Report.objects.count() == 1


def test_the_photos_of_a_report_after_the_limit_are_not_decoded(rw, settings, monkeypatch):
    from dandelion.core.errors import RateLimited
    from dandelion.reports.services import report_create, submitting

    settings.SUBMISSION_RATES = "1/600"
    decoded = []

    def recording(uploads, **kwargs):
        decoded.append(len(uploads))
        return photos.photos_process(uploads, **kwargs)

    monkeypatch.setattr(submitting, "photos_process", recording)
    fields = {"category_code": "garbage", "lat": HERE[0], "lng": HERE[1], "description": "垃圾"}
    report_create(reporter=rw.worker, photos=[photo()], **fields)
    with pytest.raises(RateLimited):
        report_create(reporter=rw.worker, photos=[photo(), photo()], **fields)
    assert decoded == [1]
