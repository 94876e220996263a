"""The one way a domain error reaches an HTML page: field errors beside their fields, the rest
on top, in the words the service gave (already in the reader's language)."""

import re
from collections.abc import Iterable

from django import forms
from django.contrib import messages

from .errors import ApplicationError

TOP = ""


def _base(field: str) -> str:
    """`photos[1]` → `photos`, `answers.plate` → `answers`."""
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def show_error(
    exc: ApplicationError,
    *,
    form: forms.BaseForm | None = None,
    request=None,
    fields: Iterable[str] | None = None,
) -> dict[str, str]:
    """Put `exc` on a page and return `{field: sentence}` (`""` holds what goes on top).

    A field error goes beside the field the page shows: the form's field of that name (or of
    its base name, so `photos[1]` lands on `photos`), or one of `fields` for a hand-written
    form; anything else goes on top. With `form`, errors are added to it (`form.add_error`);
    with `request` and no form, the top sentence becomes a page message."""
    known = set(fields or ())
    if form is not None:
        known |= set(form.fields)
    placed: dict[str, str] = {}
    for item in exc.errors:
        field = str(item.get("field", ""))
        target = field if field in known else _base(field) if _base(field) in known else TOP
        placed.setdefault(target, str(item.get("msg") or exc.message))
    if not placed:
        placed[TOP] = str(exc.message)
    if form is not None:
        for field, sentence in placed.items():
            form.add_error(field or None, sentence)
    elif request is not None and TOP in placed:
        messages.error(request, placed[TOP])
    return placed
