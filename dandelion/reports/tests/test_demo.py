"""The demo city's reports: nine categories, routing to handlers who can sign in, an Open311
key, a dozen reports in many states; loading twice creates nothing new."""

import pytest
from django.test import Client

from dandelion.demo.demo_reports import DEMO_OPEN311_KEY, demo_reports_load
from dandelion.demo.people import DEMO_PASSWORD, demo_people_load
from dandelion.demo.services import demo_city_load
from dandelion.reports.models import Report, ReportCategory, ReportPhoto
from dandelion.reports.selectors import report_staff_list

pytestmark = pytest.mark.django_db


def test_the_demo_reports_load_once_and_work(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_city_load(seed=7)
    demo_people_load(seed=7)
    first = demo_reports_load(seed=7)
    assert first["category"] == 9 and first["report"] == 12 and first["open311_key"] == 1
    assert ReportCategory.objects.count() == 9
    assert demo_reports_load(seed=7) == {}
    assert Report.objects.count() == 12

    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"for_triage", "in_progress", "fixed", "closed", "duplicate"} <= statuses
    assert all(r.organisation_id for r in Report.objects.all())
    assert ReportPhoto.objects.count() >= 12

    from dandelion.accounts.models import User

    community = User.objects.get(username="community_handler")
    assert community.check_password(DEMO_PASSWORD)
    assert report_staff_list(actor=community).filter(category__code="garbage").exists()

    client = Client()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": DEMO_OPEN311_KEY,
            "service_code": "street_light",
            "lat": "29.7191",
            "long": "115.9931",
            "description": "路灯不亮",
        },
    )
    assert response.status_code == 201, response.content
