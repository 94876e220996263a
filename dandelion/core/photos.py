"""Uploaded photos (reports, needs): checked by decoding them, never by name or declared type.

An upload is accepted only if Pillow decodes the whole image as JPEG (an MPO's first picture
included), PNG or WebP, the file is at most `MAX_BYTES`, the picture at most `MAX_PIXELS`, and
all photos of the submission together decode to at most `MAX_REQUEST_PIXELS`. What is stored
is re-encoded: the EXIF orientation applied to the pixels, then saved as a fresh JPEG with no
metadata at all (no GPS position, no camera serial), so nothing the phone wrote leaks to whoever
sees the photo.
Every refusal is an `InvalidInput` (422) naming the field, e.g. `photos[1]`, with a stable code
and the worker-facing sentence.

Files reach storage before the rows that point at them, and a rollback does not take them
back: a write that stores photos runs in `atomic_with_files`, which deletes what it stored
unless its transaction commits.
"""

import fcntl
import io
import logging
import math
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from dandelion.core.errors import CoreError, InvalidInput, Message, RateLimited, field_error

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# A 48-megapixel phone camera gives 8000 × 6000: allow that, refuse more before decoding, so
# a small file that claims a huge canvas (a decompression bomb) never allocates it.
MAX_PIXELS = 50_000_000
MAX_PHOTOS = 4
# What all the photos of one submission may decode to together: any number of phone photos
# (a JPEG decodes at a reduced scale, 48 MP as 12 MP) or one 49 MP PNG, but not four, which took
# 8.7 s and 774 MB of one worker.
MAX_REQUEST_PIXELS = 50_000_000
# Submissions decoding more than this wait for a decoding slot (`decoding_slot`); smaller ones
# (a few screenshots, a reduced phone JPEG) cost little and go straight through.
SMALL_REQUEST_PIXELS = 4_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
STORED_MAX_SIDE = 2560
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _refuse(field: str, code: CoreError, message: Message) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[field_error(field, code, message, loc=[field])])


TOO_LARGE = _("照片不能超过 10 MB")
TOO_MANY_PIXELS = _("照片像素过大，请换一张")
CORRUPT = _("照片已损坏或不完整，请重新拍摄")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency (PNG, WebP) has no JPEG equivalent."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _opened(upload, *, field: str) -> Image.Image:
    """The upload opened but not decoded: its header checked (size on disk, format, pixels), and
    a JPEG told to decode at the smallest scale that still gives `STORED_MAX_SIDE` (a 48 MP
    photo decodes as 12 MP), so what decoding will cost is known before it starts."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(field, CoreError.PHOTO_TOO_LARGE, TOO_LARGE)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(field, CoreError.PHOTO_TOO_LARGE, TOO_LARGE)
    if not data:
        raise _refuse(field, CoreError.PHOTO_EMPTY, _("照片是空的，请重新拍摄"))
    try:
        with warnings.catch_warnings():
            # Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice that; both are
            # refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(field, CoreError.PHOTO_TOO_MANY_PIXELS, TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise _refuse(field, CoreError.PHOTO_NOT_IMAGE, _("这个文件不是图片")) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(field, CoreError.PHOTO_CORRUPT, CORRUPT) from None
    if source.format not in ALLOWED_FORMATS:
        raise _refuse(field, CoreError.PHOTO_WRONG_TYPE, _("只支持 JPEG、PNG 或 WebP 格式的照片"))
    width, height = source.size
    if width * height > MAX_PIXELS:
        raise _refuse(field, CoreError.PHOTO_TOO_MANY_PIXELS, TOO_MANY_PIXELS)
    if source.format in ("JPEG", "MPO"):
        # An MPO (many phones, Ultra HDR) is a JPEG with more pictures after the first: the
        # first is the photo, and the only one decoded.
        # The request is the box the stored photo fits in, in the photo's own proportions.
        ratio = STORED_MAX_SIDE / max(width, height)
        if ratio < 1:
            source.draft(None, (math.ceil(width * ratio), math.ceil(height * ratio)))
    return source


def _decoded_pixels(source: Image.Image) -> int:
    width, height = source.size  # after draft(), the size the decoder will produce
    return width * height


def _finished(source: Image.Image, *, field: str) -> ProcessedPhoto:
    """Decode, and re-encode without metadata. Turned and shrunk before anything else, so the
    colour conversion and the encoder only see the stored size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source.load()  # decodes every byte: a truncated or corrupt file fails here
            ImageOps.exif_transpose(source, in_place=True)
            image = source
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(field, CoreError.PHOTO_TOO_MANY_PIXELS, TOO_MANY_PIXELS) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(field, CoreError.PHOTO_CORRUPT, CORRUPT) from None

    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    image = _flatten(image)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return ProcessedPhoto(
        image=ContentFile(_jpeg(image), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg(thumbnail), name="thumb.jpg"),
        width=image.width,
        height=image.height,
    )


@contextmanager
def decoding_slot() -> Iterator[None]:
    """One of `PHOTO_DECODE_SLOTS` per machine (a file lock each, shared by every web process):
    big photos are decoded by at most that many requests at once, so uploads cannot hold every
    worker and the map keeps answering. A request that waits longer than
    `PHOTO_DECODE_WAIT_SECONDS` is told to try again (429 with Retry-After)."""
    slots = max(1, int(getattr(settings, "PHOTO_DECODE_SLOTS", 1)))
    wait = float(getattr(settings, "PHOTO_DECODE_WAIT_SECONDS", 0))
    directory = Path(getattr(settings, "PHOTO_LOCK_DIR", None) or tempfile.gettempdir())
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for index in range(slots):
            handle = open(directory / f"dandelion-photo-slot-{index}.lock", "a+b")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
                return
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
        if time.monotonic() >= deadline:
            raise RateLimited(
                _("正在处理其他照片，请稍后再提交。"), retry_after=2, code=CoreError.PHOTOS_BUSY
            )
        time.sleep(0.05)


def photo_process(upload, *, field: str = "photos") -> ProcessedPhoto:
    """Decode, check and re-encode one uploaded file (anything with `read()` and `size`)."""
    return photos_process([upload], field=field, max_photos=1, indexed=False)[0]


def photos_process(
    uploads: list, *, field: str = "photos", max_photos: int = MAX_PHOTOS, indexed: bool = True
) -> list[ProcessedPhoto]:
    """All photos of one submission, checked before anything is written: one bad photo refuses
    the submission (and the worker's other input is kept by the form). Every header is read
    first, and the submission is refused before any decoding if all its photos together would
    decode to more than `MAX_REQUEST_PIXELS`: one request cannot hold a worker for long."""
    if len(uploads) > max_photos:
        raise _refuse(
            field, CoreError.TOO_MANY_PHOTOS, _("最多上传 %(n)s 张照片") % {"n": max_photos}
        )
    names = [f"{field}[{index}]" if indexed else field for index in range(len(uploads))]
    opened = [_opened(upload, field=name) for upload, name in zip(uploads, names, strict=True)]
    if sum(_decoded_pixels(source) for source in opened) > MAX_REQUEST_PIXELS:
        raise _refuse(
            field,
            CoreError.PHOTOS_TOO_MANY_PIXELS,
            _("这几张照片合计太大，请少选几张或换小一些的照片"),
        )
    if sum(_decoded_pixels(source) for source in opened) <= SMALL_REQUEST_PIXELS:
        return [_finished(source, field=name) for source, name in zip(opened, names, strict=True)]
    with decoding_slot():
        return [_finished(source, field=name) for source, name in zip(opened, names, strict=True)]


class StoredFiles:
    """The files one write saved to storage, so that they can be deleted if it does not
    commit. Save through `save` so that every file is counted before its row is written."""

    def __init__(self) -> None:
        self._saved: list[tuple[Storage, str]] = []
        self.committed = False

    def save(self, file: FieldFile, name: str, content: File) -> None:
        """Store `content` as `file` of a row not saved yet (the caller saves the row)."""
        file.save(name, content, save=False)
        self._saved.append((file.storage, file.name))

    def _commit(self) -> None:
        self.committed = True

    def delete(self) -> None:
        """Delete every file saved; a file that cannot be deleted is logged, not raised, so
        the error that undid the write is the one the caller sees."""
        for storage, name in self._saved:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete %s after a rolled-back write", name)
        self._saved.clear()


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[StoredFiles]:
    """`transaction.atomic()` for a write that stores files: the files saved through the
    `StoredFiles` it yields are deleted again if the block raises, since Django has no hook
    for a rollback. A commit is recorded by the first on-commit callback, so an error raised
    later by another callback leaves the committed rows' files alone.

    Nested in another atomic block (a test's, say), it deletes the files when its own block
    fails, but cannot see the outer transaction roll back later: make it the outermost."""
    files = StoredFiles()
    try:
        with transaction.atomic(using=using):
            transaction.on_commit(files._commit, using=using)
            yield files
    except BaseException:
        if not files.committed:
            files.delete()
        raise
