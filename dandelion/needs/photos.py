"""Photos attached to a need: at most three, checked and re-encoded without EXIF (no GPS
position of the worker) by `core.photos`, like a report's."""

from django.core.files.uploadedfile import UploadedFile

from dandelion.core.photos import ProcessedPhoto, photos_process

from .models import Need, NeedPhoto

MAX_PHOTOS = 3


def photos_validate(files: list[UploadedFile]) -> list[ProcessedPhoto]:
    """The non-empty uploads, decoded and re-encoded; one bad photo refuses them all."""
    return photos_process([f for f in files if f and f.size], max_photos=MAX_PHOTOS)


def photos_attach(*, need: Need, images: list[ProcessedPhoto]) -> list[NeedPhoto]:
    return [NeedPhoto.objects.create(need=need, image=image.image) for image in images]
