"""The directory's error codes."""

from dandelion.core.errors import ErrorCode


class DirectoryError(ErrorCode):
    # `proximity` without a point, or a point without `proximity`, or values out of range.
    INVALID_PROXIMITY = "invalid_proximity"
