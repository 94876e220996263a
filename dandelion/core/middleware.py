"""Makes every failure under an API prefix speak problem+json, including Django's own 404/405/500
that happen before an API handler runs (unknown path, wrong method)."""

import logging
from http import HTTPStatus

from .problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger(__name__)

API_PREFIXES = ("/api/",)


class ProblemJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIXES) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        status = response.status_code
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, f"http_{status}")
        headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
        detail = {
            404: "No such resource.",
            405: f"Method {request.method} is not allowed here.",
        }.get(status, HTTPStatus(status).phrase)
        return problem_response(status=status, code=code, detail=detail, headers=headers)

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIXES):
            return None
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return problem_response(
            status=500, code="server_error", detail="An unexpected error occurred."
        )
