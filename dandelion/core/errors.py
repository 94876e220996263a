"""Domain errors: the one way anything below the edges says what went wrong.

- Each app declares its codes once, as an `ErrorCode` enum in `<app>/errors.py`; a concept has
  one code everywhere (`illegal_transition`, whatever the entity), and what differs goes in
  `extra` (`{"entity": "wish", "state": "closed"}`).
- The message is given where the error is raised, as a lazily translated string
  (`gettext_lazy`), so the API, the H5 and the console show the same words in the reader's
  language.
- Field problems are `errors=[field_error(...)]`, one item shape everywhere:
  `{loc, field, code, msg}`.

No HTTP below the API layer: the status is chosen by the error class, once, here;
`core.api` turns an error into problem+json and `core.forms.show_error` puts it on a page.
"""

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    """Base of every app's error code enum. A member's value is the stable `code` clients see."""


class CoreError(ErrorCode):
    """Codes of the shared kernel, used by every app for the concepts they share."""

    APPLICATION_ERROR = "application_error"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NOT_AUTHENTICATED = "not_authenticated"
    CONFLICT = "conflict"
    INVALID_INPUT = "invalid_input"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    ILLEGAL_TRANSITION = "illegal_transition"
    UNKNOWN_ACTION = "unknown_action"
    ACTOR_NOT_ALLOWED = "actor_not_allowed"
    UNSTORABLE_VALUE = "unstorable_value"
    MALFORMED_REQUEST = "malformed_request"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    # Photos (core.photos), the same for every app that takes them
    TOO_MANY_PHOTOS = "too_many_photos"
    PHOTO_TOO_LARGE = "photo_too_large"
    PHOTO_TOO_MANY_PIXELS = "photo_too_many_pixels"
    PHOTOS_TOO_MANY_PIXELS = "photos_too_many_pixels"
    PHOTOS_BUSY = "photos_busy"
    PHOTO_WRONG_TYPE = "photo_wrong_type"
    PHOTO_NOT_IMAGE = "photo_not_image"
    PHOTO_CORRUPT = "photo_corrupt"
    PHOTO_EMPTY = "photo_empty"


Message = str | Promise


def _check_code(code) -> None:
    if not isinstance(code, ErrorCode):
        raise TypeError(f"Error codes are declared in an app's errors.py, not {code!r}.")


def field_error(
    field: str, code: ErrorCode, msg: Message, *, loc: list[str] | None = None
) -> dict[str, Any]:
    """The one shape of an `errors[]` item. `field` is the dotted path a form shows it beside
    (`photos[1]`, `answers.plate`); `loc` is where it sits in the request, defaulting to the
    field's own path."""
    _check_code(code)
    return {
        "loc": loc if loc is not None else field.split("."),
        "field": field,
        "code": code,
        "msg": msg,
    }


class ApplicationError(Exception):
    """Base of every domain error: a declared `code`, a translated `message`, field `errors`
    and `extra` facts about the case (the state, the entity, the limit)."""

    status = 400
    default_code: ErrorCode = CoreError.APPLICATION_ERROR
    title: Message = _("请求有误")

    def __init__(
        self,
        message: Message,
        *,
        code: ErrorCode | None = None,
        errors: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        code = code or self.default_code
        _check_code(code)
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or []
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


class NotFound(ApplicationError):
    status = 404
    default_code = CoreError.NOT_FOUND
    title = _("未找到")


class PermissionDenied(ApplicationError):
    status = 403
    default_code = CoreError.PERMISSION_DENIED
    title = _("没有权限")


class NotAuthenticated(ApplicationError):
    status = 401
    default_code = CoreError.NOT_AUTHENTICATED
    title = _("需要登录")


class Conflict(ApplicationError):
    """An action that the current state does not allow (e.g. an illegal transition)."""

    status = 409
    default_code = CoreError.CONFLICT
    title = _("状态冲突")


class InvalidInput(ApplicationError):
    """Input that is well-formed but breaks a rule; `errors` says which fields."""

    status = 422
    default_code = CoreError.INVALID_INPUT
    title = _("输入有误")


class RateLimited(ApplicationError):
    status = 429
    default_code = CoreError.RATE_LIMITED
    title = _("请求过于频繁")

    def __init__(self, message: Message, *, retry_after: int, code: ErrorCode | None = None):
        super().__init__(message, code=code, extra={"retry_after": retry_after})
        self.retry_after = retry_after


class ServiceUnavailable(ApplicationError):
    """A service we depend on (the SMS gateway) failed; trying again later may work."""

    status = 503
    default_code = CoreError.SERVICE_UNAVAILABLE
    title = _("服务暂不可用")


def invalid_from_validation(exc, *, code: ErrorCode = CoreError.INVALID_INPUT) -> InvalidInput:
    """Django's `ValidationError` (from `full_clean()`) as the one `InvalidInput`: one
    `errors[]` item per field message, so a model's own rules reach the caller like any other."""
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for error in field_errors:
                name = "" if field == "__all__" else field
                for msg in error.messages:
                    errors.append(field_error(name, code, msg, loc=[name] if name else []))
    else:
        for msg in exc.messages:
            errors.append(field_error("", code, msg, loc=[]))
    first = errors[0]["msg"] if errors else _("输入有误。")
    return InvalidInput(first, code=code, errors=errors)


def validated_save(obj, *, exclude=None, code: ErrorCode = CoreError.INVALID_INPUT, **save_kwargs):
    """`full_clean()` then `save()`: a model's own rules broken become the one `InvalidInput`
    (see `invalid_from_validation`), never a half-written row."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise invalid_from_validation(exc, code=code) from None
    obj.save(**save_kwargs)
    return obj
