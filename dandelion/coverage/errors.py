"""The coverage app's error codes."""

from dandelion.core.errors import ErrorCode


class CoverageError(ErrorCode):
    pass
