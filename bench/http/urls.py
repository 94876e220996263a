"""Every product URL, plus `/bench/bare`: the floor a JSON view costs on this server (the same
middleware, WSGI server and workers as the API, and no database work)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *product_urlpatterns]
