import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from dandelion.core.openapi import APIS, current_schema, drifted

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def test_committed_openapi_documents_match_the_code(db):
    assert drifted() == [], "Run `make openapi` and commit docs/openapi/."


def test_every_operation_declares_id_summary_and_its_problems(db):
    for name in APIS:
        for path, operations in current_schema(name)["paths"].items():
            for method, operation in operations.items():
                where = f"{name}: {method} {path}"
                assert operation.get("operationId"), f"{where} has no operation_id"
                assert operation.get("summary"), f"{where} has no summary"
                responses = operation["responses"]
                assert any(int(s) < 400 for s in responses), f"{where} declares no success"
                for status, response in responses.items():
                    if int(status) >= 400:
                        content = response["content"]
                        assert content == {"application/problem+json": {"schema": PROBLEM}}
                if operation.get("parameters") or operation.get("requestBody"):
                    assert "422" in responses, f"{where} takes input but declares no 422"
                if operation.get("security"):
                    assert {"401", "403"} <= set(responses), f"{where} signs in without 401/403"


PROBE = """
import pytest
from dandelion.core.errors import Conflict, CoreError


@pytest.mark.django_db
def test_an_operation_answers_a_problem_it_does_not_declare(client, monkeypatch):
    from dandelion.stations import selectors

    def refuse(**kwargs):
        raise Conflict("x", code=CoreError.CONFLICT)

    monkeypatch.setattr(selectors, "amenity_list", refuse)
    assert client.get("/api/v1/amenities").status_code == 409
"""


def test_the_suite_fails_a_test_where_an_operation_answers_an_undeclared_problem():
    # Given a test in which GET /api/v1/amenities (which declares no 409) answers 409, in a
    # scratch folder of the project (so the project's conftest applies; never collected)
    root = Path(settings.BASE_DIR)
    (root / "var").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="probe-", dir=root / "var"))
    probe = scratch / "test_probe.py"
    probe.write_text(PROBE)
    # When it runs
    try:
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0"]
        result = subprocess.run(
            [*command, str(probe.relative_to(root))],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(scratch)
    # Then that test fails, naming the operation and the status
    assert result.returncode != 0, result.stdout[-2000:]
    assert "amenities_list answered 409" in result.stdout, result.stdout[-2000:]
