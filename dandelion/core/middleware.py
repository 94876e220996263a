"""Makes every failure under an API prefix speak problem+json, including Django's own 404/405/500
that happen before an API handler runs (unknown path, wrong method); and refuses NUL characters
in the pages' forms and links, as the API's parser does in its own."""

import logging
from http import HTTPStatus

from django.core.exceptions import BadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .api import request_problem
from .errors import CoreError, NotFound, PermissionDenied
from .parsers import NUL
from .problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger(__name__)

# The JSON APIs (ninja, problem+json): the project API and the HSDS directory.
API_PREFIXES = ("/api/", "/hsds/")


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
        code = {404: CoreError.NOT_FOUND, 405: CoreError.METHOD_NOT_ALLOWED}.get(
            status, CoreError.MALFORMED_REQUEST if status < 500 else CoreError.SERVER_ERROR
        )
        headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
        detail = {
            404: _("没有这项内容。"),
            405: _("这里不接受 %(method)s 请求。") % {"method": request.method},
        }.get(status, HTTPStatus(status).phrase)
        return problem_response(status=status, code=code, detail=detail, headers=headers)

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIXES):
            return None
        known = request_problem(exception)
        if known is not None:
            return known
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return problem_response(
            status=500, code=CoreError.SERVER_ERROR, detail=_("发生了意外错误。")
        )


# Paths whose own parsers refuse NUL in their own error shapes: the JSON API (core.parsers) and
# Open311 (its list of {code, description}).
NUL_CHECKED_ELSEWHERE = (*API_PREFIXES, "/open311/")


class NulRefusingMiddleware:
    """A NUL character in a page's query or form is a 400 before any view runs: no text a person
    types carries one, PostgreSQL cannot store it, and SQLite would, so refusing it at the edge
    makes both databases behave alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(NUL_CHECKED_ELSEWHERE) and self._carries_nul(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        sources = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            sources.append(request.POST)
        return any(
            NUL in key or any(NUL in value for value in values)
            for source in sources
            for key, values in source.lists()
        )


class RefusalPagesMiddleware:
    """A page's view that lets a domain refusal through gets the site's own pages for it: a row
    the actor may not see (or that does not exist) is the 404 page, an action they may not take
    the 403 page. So selectors decide, and views need no try/except to say it. (The API turns the
    same errors into problem+json itself, before they reach here.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIXES):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception.message)))
        if isinstance(exception, PermissionDenied):
            return response_for_exception(request, DjangoPermissionDenied(str(exception.message)))
        return None
