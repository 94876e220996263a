"""The standards app's error codes."""

from dandelion.core.errors import ErrorCode


class StandardsError(ErrorCode):
    pass
