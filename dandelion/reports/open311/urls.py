"""Open311 GeoReport v2 at /open311/v2/: every endpoint in `.json` and `.xml`."""

from django.urls import path, re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[\w-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_endpoint, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/.]+)" + FMT, views.request_detail, name="request"
    ),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, views.token_detail, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.request_updates, name="updates"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
