"""The figures app's error codes."""

from dandelion.core.errors import ErrorCode


class FiguresError(ErrorCode):
    pass
