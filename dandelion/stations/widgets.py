"""A map to place a point: a Leaflet map beside the form's own lat and lng inputs.

Clicking the map or dragging the marker writes WGS-84 coordinates into those inputs; typing in
them moves the marker. The inputs stay ordinary number fields, so without Leaflet (not vendored,
or JavaScript off) the form still works: the map simply never appears.
"""

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"


class MapPointWidget(forms.Widget):
    """For a form field with no data of its own; it only drives the `lat_field`/`lng_field`
    inputs of the same form (same prefix)."""

    template_name = "stations/widgets/map_point.html"

    def __init__(self, *, lat_field: str = "lat", lng_field: str = "lng", attrs=None):
        super().__init__(attrs)
        self.lat_field = lat_field
        self.lng_field = lng_field

    @property
    def media(self) -> forms.Media:
        js, css = ["core/coords.js", "stations/map_point.js"], ["stations/map_point.css"]
        # Naming a missing file would break pages under the manifest static storage.
        if finders.find(LEAFLET_JS) and finders.find(LEAFLET_CSS):
            js.insert(0, LEAFLET_JS)
            css.insert(0, LEAFLET_CSS)
        return forms.Media(js=js, css={"all": css})

    def value_from_datadict(self, data, files, name):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        prefix = widget_id[: -len(name)] if widget_id.endswith(name) else "id_"
        tile_coord = settings.MAP_TILE_COORD if settings.MAP_TILE_URL else "wgs84"
        context["widget"].update(
            {
                "lat_input": prefix + self.lat_field,
                "lng_input": prefix + self.lng_field,
                "tile_url": settings.MAP_TILE_URL,
                "tile_coord": tile_coord,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
                "tile_subdomains": settings.MAP_TILE_SUBDOMAINS,
                "center": ",".join(str(x) for x in settings.MAP_DEFAULT_CENTER),
            }
        )
        return context
