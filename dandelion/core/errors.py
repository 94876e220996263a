"""Domain errors. Services raise these; the API layer turns them into problem+json.

No HTTP below the API layer: a service says *what* went wrong with a stable `code`; the status
code is chosen by the error class, once, here.
"""

from typing import Any


class ApplicationError(Exception):
    """Base of every domain error: a stable machine `code`, a human `message`, and `extra`."""

    status = 400
    default_code = "application_error"
    title = "Bad request"

    def __init__(
        self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class NotFound(ApplicationError):
    status = 404
    default_code = "not_found"
    title = "Not found"


class PermissionDenied(ApplicationError):
    status = 403
    default_code = "permission_denied"
    title = "Forbidden"


class NotAuthenticated(ApplicationError):
    status = 401
    default_code = "not_authenticated"
    title = "Unauthorized"


class Conflict(ApplicationError):
    """An action that the current state does not allow (e.g. an illegal transition)."""

    status = 409
    default_code = "conflict"
    title = "Conflict"


class InvalidInput(ApplicationError):
    """Input that is well-formed but breaks a rule; `errors` lists `{loc, msg}` per field."""

    status = 422
    default_code = "invalid_input"
    title = "Unprocessable entity"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message, code=code, extra=extra)
        self.errors = errors or []


class RateLimited(ApplicationError):
    status = 429
    default_code = "rate_limited"
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code, extra={"retry_after": retry_after})
        self.retry_after = retry_after
