"""Photos attached to a need: at most three, checked and re-encoded without EXIF (no GPS
position of the worker) by `core.photos`, like a report's, and stored in the need's
`core.photos.atomic_with_files` block so that a need not saved leaves no file behind."""

from django.core.files.uploadedfile import UploadedFile

from dandelion.core.photos import ProcessedPhoto, StoredFiles, photos_process

from .models import Need, NeedPhoto

MAX_PHOTOS = 3


def photos_validate(files: list[UploadedFile]) -> list[ProcessedPhoto]:
    """The non-empty uploads, decoded and re-encoded; one bad photo refuses them all. Called
    before the need's transaction opens: a decode can take seconds, and must not hold the
    database's write lock meanwhile."""
    return photos_process([f for f in files if f and f.size], max_photos=MAX_PHOTOS)


def photos_attach(
    *, need: Need, images: list[ProcessedPhoto], files: StoredFiles
) -> list[NeedPhoto]:
    attached = []
    for image in images:
        photo = NeedPhoto(need=need)
        files.save(photo.image, image.image.name, image.image)
        photo.save()
        attached.append(photo)
    return attached
