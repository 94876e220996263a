"""The shared NinjaAPI factory: every API instance gets the same problem+json error handling."""

import logging

from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import ApplicationError, InvalidInput, RateLimited
from .problems import field_errors_from_pydantic, problem_response

logger = logging.getLogger(__name__)


def install_problem_handlers(api: NinjaAPI) -> NinjaAPI:
    @api.exception_handler(ApplicationError)
    def on_application_error(request, exc: ApplicationError):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return problem_response(
            status=exc.status,
            code=exc.code,
            detail=exc.message,
            title=exc.title,
            errors=exc.errors if isinstance(exc, InvalidInput) else None,
            extra=exc.extra,
            headers=headers,
        )

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request, exc: NinjaValidationError):
        errors = field_errors_from_pydantic(exc.errors)
        fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
        return problem_response(
            status=422,
            code="validation_error",
            detail=f"Invalid input: {fields}." if fields else "Invalid input.",
            errors=errors,
        )

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return problem_response(status=404, code="not_found", detail=str(exc) or "Not found.")

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        return problem_response(
            status=401, code="not_authenticated", detail="Authentication is required."
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        return problem_response(
            status=exc.status_code, code=f"http_{exc.status_code}", detail=str(exc)
        )

    @api.exception_handler(DataError)
    def on_data_error(request, exc: DataError):
        # The database refused a value the schemas let through (PostgreSQL takes no NUL
        # character in text, no number beyond a column's range). The service's transaction has
        # rolled back, so nothing was written: it is the caller's input, not our failure.
        logger.info("Refused value on %s %s: %s", request.method, request.path, exc)
        return problem_response(
            status=422,
            code="unstorable_value",
            detail="A value cannot be stored: remove control characters such as NUL, or use a "
            "smaller number.",
        )

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return problem_response(
            status=500, code="server_error", detail="An unexpected error occurred."
        )

    return api
