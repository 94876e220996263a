"""Every API operation, driven by schemathesis from the API's own OpenAPI document: anonymous,
as a registered worker and as a region admin; and the public HSDS directory. Whatever the
generated input, the API never answers with a server error, and every answer (status, content
type, body) is one the document declares. Bounded and seeded, so the run is the same every
time and stays short."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from dandelion.accounts.services import role_assign, token_issue

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 4


# Read from the running application (the committed copy is checked against it elsewhere); this
# request touches no database, so it can run while the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
directory = schemathesis.openapi.from_wsgi("/hsds/openapi.json", application)


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    """Schemathesis calls the WSGI application directly, so Django's request signals would close
    the test's database connection after each call (Django's own test client unhooks them the
    same way): the test's transaction, and its rollback, would be lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(jiujiang, make_station, make_worker, make_user):
    """A station, a registered worker and a region admin of 浔阳区, each with a bearer token."""
    make_station(name="甘棠驿站", region=jiujiang["street"])
    worker = make_worker()
    admin = make_user(name="区管理员")
    role_assign(user=admin, role="region_admin", region=jiujiang["xunyang"])
    return {
        "worker": {"Authorization": f"Bearer {token_issue(user=worker)[1]}"},
        "staff": {"Authorization": f"Bearer {token_issue(user=admin)[1]}"},
    }


BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_anonymous_callers_get_what_the_document_says(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_workers_get_what_the_document_says(case, world):
    case.call_and_validate(headers=world["worker"], checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_staff_get_what_the_document_says(case, world):
    case.call_and_validate(headers=world["staff"], checks=CHECKS)


@directory.parametrize()
@BOUNDED
def test_the_hsds_directory_gives_what_its_document_says(case, world):
    case.call_and_validate(checks=CHECKS)
