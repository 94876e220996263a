from dandelion.core.openapi import drifted


def test_committed_openapi_documents_match_the_code(db):
    assert drifted() == [], "Run `make openapi` and commit docs/openapi/."


def test_every_operation_declares_id_summary_and_responses(db):
    from dandelion.core.openapi import current_schema

    for path, operations in current_schema("api-v1")["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), f"{method} {path} has no operation_id"
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert operation.get("responses"), f"{method} {path} declares no response"
