"""The coverage app's error codes."""

from dandelion.core.errors import ErrorCode


class CoverageError(ErrorCode):
    INVALID_PARAMETERS = "invalid_parameters"  # mode, minutes out of range
    NO_BOUNDARY = "no_boundary"  # neither the region nor its communities have a boundary
