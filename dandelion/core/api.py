"""The shared NinjaAPI: every API instance gets the same problem+json error handling and the
same way of declaring the problems an operation can answer with.

An operation declares its problems beside its success response:
`response={200: StationOut, **problems(404)}`. The document then lists each under
`application/problem+json` with the one `Problem` schema. What every operation of a kind can
answer is added here, once, so nobody forgets it: 401 (and 403, the CSRF check) where a caller
must sign in, 422 where there is any input to validate, 400 and 413 where there is a body.
"""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import ApplicationError, CoreError, RateLimited
from .parsers import NulRefusingParser
from .problems import PROBLEM_CONTENT_TYPE, ProblemOut, field_errors_from_pydantic, problem_response

logger = logging.getLogger(__name__)

PROBLEM_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 503)
_PROBLEM_REF = "#/components/schemas/Problem"


def problems(*statuses: int) -> dict[int, Any]:
    """The problem responses an operation declares: `{404: ProblemOut, 409: ProblemOut}`."""
    unknown = set(statuses) - set(PROBLEM_STATUSES)
    if unknown:
        raise ValueError(f"Not a problem status: {sorted(unknown)}")
    return dict.fromkeys(statuses, ProblemOut)


def _automatic_problems(operation: dict) -> set[int]:
    statuses: set[int] = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    if operation.get("requestBody"):
        statuses |= {400, 413}
    return statuses


def declare_problems(schema: dict) -> dict:
    """Every problem response of the document under `application/problem+json` with the one
    `Problem` schema, plus the problems every operation of its kind can answer."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = ProblemOut.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    item = components["Problem"].pop("$defs", {}).get("ErrorItemOut")
    if item is not None:
        components["ErrorItemOut"] = item
    components.pop("ProblemOut", None)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status in sorted(_automatic_problems(operation)):
                responses.setdefault(str(status), {})
            for status, response in responses.items():
                if int(status) < 400:
                    continue
                if response.get("description") in (None, "", "OK"):
                    response["description"] = HTTPStatus(int(status)).phrase
                response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _PROBLEM_REF}}}
    return schema


def request_problem(exc: BaseException):
    """The problem for a request Django could not read (too large, a malformed multipart body),
    wherever it was first read: in a handler, an auth check or a middleware. None for other
    exceptions."""
    if isinstance(exc, RequestDataTooBig):
        return problem_response(
            status=413,
            code=CoreError.PAYLOAD_TOO_LARGE,
            title=_("请求过大"),
            detail=_("请求内容超过了允许的大小。"),
        )
    if isinstance(exc, MultiPartParserError):
        return problem_response(
            status=400,
            code=CoreError.MALFORMED_REQUEST,
            title=_("请求格式有误"),
            detail=_("无法解析请求的表单数据。"),
        )
    return None


class DandelionAPI(NinjaAPI):
    def __init__(self, **kwargs):
        kwargs.setdefault("parser", NulRefusingParser())
        super().__init__(**kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_problems(schema)


def install_problem_handlers(api: NinjaAPI) -> NinjaAPI:
    @api.exception_handler(ApplicationError)
    def on_application_error(request, exc: ApplicationError):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return problem_response(
            status=exc.status,
            code=exc.code,
            detail=exc.message,
            title=exc.title,
            errors=exc.errors or None,
            extra=exc.extra,
            headers=headers,
        )

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request, exc: NinjaValidationError):
        errors = field_errors_from_pydantic(exc.errors)
        fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
        return problem_response(
            status=422,
            code=CoreError.VALIDATION_ERROR,
            title=_("输入有误"),
            detail=_("输入有误：%(fields)s。") % {"fields": fields} if fields else _("输入有误。"),
            errors=errors,
        )

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return problem_response(
            status=404, code=CoreError.NOT_FOUND, title=_("未找到"), detail=_("没有这项内容。")
        )

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        return problem_response(
            status=401,
            code=CoreError.NOT_AUTHENTICATED,
            title=_("需要登录"),
            detail=_("请先登录。"),
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, NinjaValidationError):
            # ninja wraps whatever the body parser raises; the parser's refusals name fields.
            return on_validation_error(request, exc.__cause__)
        if exc.status_code == 403:
            return problem_response(
                status=403,
                code=CoreError.PERMISSION_DENIED,
                title=_("没有权限"),
                detail=_("CSRF 校验失败：请刷新页面后重试。"),
            )
        return problem_response(
            status=exc.status_code,
            code=CoreError.MALFORMED_REQUEST,
            title=_("请求格式有误"),
            detail=_("无法解析请求内容。") if exc.status_code == 400 else str(exc),
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return request_problem(exc)

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return request_problem(exc)

    @api.exception_handler(DataError)
    def on_data_error(request, exc: DataError):
        # The database refused a value the schemas let through (PostgreSQL takes no NUL
        # character in text, no number beyond a column's range). The service's transaction has
        # rolled back, so nothing was written: it is the caller's input, not our failure.
        logger.info("Refused value on %s %s: %s", request.method, request.path, exc)
        return problem_response(
            status=422,
            code=CoreError.UNSTORABLE_VALUE,
            title=_("输入有误"),
            detail=_("有一个值无法保存：请去掉 NUL 等控制字符，或使用更小的数字。"),
        )

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return problem_response(
            status=500, code=CoreError.SERVER_ERROR, detail=_("发生了意外错误。")
        )

    return api
