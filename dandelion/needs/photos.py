"""Photos attached to a need: at most three images of at most 5 MB, checked by Pillow."""

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from dandelion.core.errors import InvalidInput

from .models import Need, NeedPhoto

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP"}


def _refuse(msg: str) -> InvalidInput:
    return InvalidInput(
        "Invalid photos.", code="invalid_photos", errors=[{"field": "photos", "msg": msg}]
    )


def photos_validate(files: list[UploadedFile]) -> list[UploadedFile]:
    files = [f for f in files if f and f.size]
    if len(files) > MAX_PHOTOS:
        raise _refuse("at most 3 photos")
    for upload in files:
        if upload.size > MAX_BYTES:
            raise _refuse("at most 5 MB each")
        try:
            with Image.open(upload) as image:
                image.verify()
                if image.format not in FORMATS:
                    raise _refuse("JPEG, PNG or WebP images only")
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise _refuse("JPEG, PNG or WebP images only") from exc
        upload.seek(0)
    return files


def photos_attach(*, need: Need, images: list[UploadedFile]) -> list[NeedPhoto]:
    return [NeedPhoto.objects.create(need=need, image=image) for image in images]
