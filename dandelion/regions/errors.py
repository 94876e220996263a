"""The error codes of regions. "No such region" is `CoreError.NOT_FOUND` with
`extra={"entity": "region", "code": ...}`, as every "not found" is."""

from dandelion.core.errors import ErrorCode


class RegionsError(ErrorCode):
    CSV_MISSING_COLUMNS = "csv_missing_columns"
    CSV_INVALID = "csv_invalid"
    BOUNDARY_INVALID = "boundary_invalid"  # not a valid WGS-84 GeoJSON (Multi)Polygon
    GEOJSON_INVALID = "geojson_invalid"  # a boundaries file that is not a FeatureCollection
