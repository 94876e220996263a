"""Uploaded photos (reports, needs): checked by decoding them, never by name or declared type.

An upload is accepted only if Pillow decodes the whole image as JPEG, PNG or WebP, the file is
at most `MAX_BYTES` and the picture at most `MAX_PIXELS`. What is stored is re-encoded: the
EXIF orientation applied to the pixels, then saved as a fresh JPEG with no metadata at all (no
GPS position, no camera serial), so nothing the phone wrote leaks to whoever sees the photo.
Every refusal is an `InvalidInput` (422) naming the field, e.g. `photos[1]`, with a stable code
and the worker-facing sentence.

Files reach storage before the rows that point at them, and a rollback does not take them
back: a write that stores photos runs in `atomic_with_files`, which deletes what it stored
unless its transaction commits.
"""

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from dandelion.core.errors import CoreError, InvalidInput, Message, field_error

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# A 48-megapixel phone camera gives 8000 × 6000: allow that, refuse more before decoding, so
# a small file that claims a huge canvas (a decompression bomb) never allocates it.
MAX_PIXELS = 50_000_000
MAX_PHOTOS = 4
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
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


def photo_process(upload, *, field: str = "photos") -> ProcessedPhoto:
    """Decode, check and re-encode one uploaded file (anything with `read()` and `size`)."""
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
            if source.format not in ALLOWED_FORMATS:
                raise _refuse(
                    field, CoreError.PHOTO_WRONG_TYPE, _("只支持 JPEG、PNG 或 WebP 格式的照片")
                )
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise _refuse(field, CoreError.PHOTO_TOO_MANY_PIXELS, TOO_MANY_PIXELS)
            source.load()  # decodes every byte: a truncated or corrupt file fails here
            image = ImageOps.exif_transpose(source)
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(field, CoreError.PHOTO_TOO_MANY_PIXELS, TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise _refuse(field, CoreError.PHOTO_NOT_IMAGE, _("这个文件不是图片")) from None
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
        raise _refuse(field, CoreError.PHOTO_CORRUPT, _("照片已损坏或不完整，请重新拍摄")) from None

    image = _flatten(image)
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return ProcessedPhoto(
        image=ContentFile(_jpeg(image), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg(thumbnail), name="thumb.jpg"),
        width=image.width,
        height=image.height,
    )


def photos_process(
    uploads: list, *, field: str = "photos", max_photos: int = MAX_PHOTOS
) -> list[ProcessedPhoto]:
    """All photos of one submission, checked before anything is written: one bad photo refuses
    the submission (and the worker's other input is kept by the form)."""
    if len(uploads) > max_photos:
        raise _refuse(
            field, CoreError.TOO_MANY_PHOTOS, _("最多上传 %(n)s 张照片") % {"n": max_photos}
        )
    return [
        photo_process(upload, field=f"{field}[{index}]") for index, upload in enumerate(uploads)
    ]


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
