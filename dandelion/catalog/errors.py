"""The service menu's error codes."""

from dandelion.core.errors import ErrorCode


class CatalogError(ErrorCode):
    # A worker's answers to an item's questions; `errors[]` says which (`answers.<key>`).
    INVALID_ANSWERS = "invalid_answers"
    # A menu item or question that breaks the menu's rules (the admin and the demo build them).
    INVALID_SERVICE_ITEM = "invalid_service_item"
    INVALID_QUESTION = "invalid_question"
