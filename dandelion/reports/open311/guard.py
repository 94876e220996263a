"""Every Open311 answer that is not a success, the specification's way: a list of
`{code, description}` (never an HTML page or a 500). The description is the domain error's
own sentence, in the reader's language; the code is the HTTP status the error class means
(404 for an unknown jurisdiction, service, request or token; 403 for a missing, revoked or
out-of-area API key; 400 for a missing or bad parameter)."""

from functools import wraps

from django.db import DataError
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import ApplicationError, InvalidInput

from .render import errors

# Our field names where Open311's differ.
OPEN311_FIELDS = {
    "lat": "lat",
    "lng": "long",
    "address": "address_string",
    "category": "service_code",
}


def open311_status(exc: ApplicationError) -> int:
    return exc.status if exc.status in (403, 404) else 400


def _description(exc: ApplicationError) -> str:
    """The error's sentence, after the Open311 names of the fields it concerns."""
    fields = [str(e.get("field")) for e in exc.errors if e.get("field")]
    if isinstance(exc, InvalidInput) and fields:
        names = ", ".join(OPEN311_FIELDS.get(f, f) for f in fields)
        return f"{names}: {exc.message}"
    return str(exc.message)


def guarded(view):
    @wraps(view)
    def wrapper(request, *args, fmt: str = "json", **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except ApplicationError as exc:
            return errors(fmt, open311_status(exc), _description(exc))
        except DataError:
            # A value the database cannot store (a NUL character on PostgreSQL); the
            # transaction rolled back, so nothing was written.
            return errors(fmt, 400, str(_("有参数的值无法保存。")))

    return wrapper
