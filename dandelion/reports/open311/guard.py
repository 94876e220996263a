"""Every Open311 answer that is not a success, the specification's way: a list of
`{code, description}` (never an HTML page or a 500). The description is the domain error's
own sentence, in the reader's language; the code is the HTTP status the error class means
(404 for an unknown jurisdiction, service, request or token; 403 for a missing, revoked or
out-of-area API key; 429, with `Retry-After`, for too many requests submitted; 400 for a
missing or bad parameter).

A NUL character in any parameter (query, form or URL) is refused here, before the view runs,
as a 400 naming the parameter: PostgreSQL cannot store one and SQLite would, so both databases
must never see it. (`core.middleware.NulRefusingMiddleware` leaves `/open311/` to this guard,
so that the answer has Open311's shape.)"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import (
    ApplicationError,
    CoreError,
    InvalidInput,
    RateLimited,
    field_error,
)
from dandelion.core.parsers import NUL, nul_paths

from .render import errors

# Our field names where Open311's differ.
OPEN311_FIELDS = {
    "lat": "lat",
    "lng": "long",
    "address": "address_string",
    "category": "service_code",
}


def open311_status(exc: ApplicationError) -> int:
    return exc.status if exc.status in (403, 404, 429) else 400


def _description(exc: ApplicationError) -> str:
    """The error's sentence, after the Open311 names of the fields it concerns."""
    fields = [str(e.get("field")) for e in exc.errors if e.get("field")]
    if isinstance(exc, InvalidInput) and fields:
        names = ", ".join(OPEN311_FIELDS.get(f, f) for f in fields)
        return f"{names}: {exc.message}"
    return str(exc.message)


NUL_REFUSED = _("不能包含 NUL 控制字符。")


def _refuse_nul(request, kwargs: dict) -> None:
    """`InvalidInput` naming every parameter that carries a NUL character (in its name or a
    value), the name shown with the NUL as ␀."""
    sources = [dict(request.GET.lists()), kwargs]
    if request.method == "POST":
        sources.append(dict(request.POST.lists()))
    names = list(dict.fromkeys(str(path[0]) for source in sources for path in nul_paths(source)))
    if names:
        raise InvalidInput(
            NUL_REFUSED,
            code=CoreError.INVALID_INPUT,
            errors=[
                field_error(name.replace(NUL, "␀"), CoreError.INVALID_INPUT, NUL_REFUSED)
                for name in names
            ],
        )


def guarded(view):
    @wraps(view)
    def wrapper(request, *args, fmt: str = "json", **kwargs):
        try:
            _refuse_nul(request, kwargs)
            return view(request, *args, fmt=fmt, **kwargs)
        except ApplicationError as exc:
            response = errors(fmt, open311_status(exc), _description(exc))
            if isinstance(exc, RateLimited):
                response["Retry-After"] = str(exc.retry_after)
            return response
        except RequestDataTooBig:
            return errors(fmt, 413, str(_("请求内容超过了允许的大小。")))
        except MultiPartParserError:
            return errors(fmt, 400, str(_("无法解析请求的表单数据。")))
        except DataError:
            # A value the database cannot store (a NUL character on PostgreSQL); the
            # transaction rolled back, so nothing was written.
            return errors(fmt, 400, str(_("有参数的值无法保存。")))

    return wrapper
