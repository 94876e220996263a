"""The error codes of regions. "No such region" keeps its own code, which API clients already
rely on; every app that looks a region up by code says it with this one."""

from dandelion.core.errors import ErrorCode


class RegionsError(ErrorCode):
    REGION_NOT_FOUND = "region_not_found"
    CSV_MISSING_COLUMNS = "csv_missing_columns"
    CSV_INVALID = "csv_invalid"
