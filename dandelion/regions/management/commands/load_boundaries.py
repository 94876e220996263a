"""`manage.py load_boundaries FILE.geojson [--property NAME]`: regions' boundaries."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import InvalidInput
from dandelion.regions.services import boundaries_load_geojson


def format_error(error: dict) -> str:
    where = f"feature {error['line']}" if error.get("line") else "file"
    return f"{where} [{error.get('field')}]: {error['msg']}"


class Command(BaseCommand):
    help = (
        "Load region boundaries from a GeoJSON FeatureCollection (WGS-84 Polygon or MultiPolygon "
        "features, keyed by a division code property; an optional population property). Every "
        "feature is checked first; nothing is loaded when any is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--property",
            dest="code_property",
            default=None,
            help="The property holding the division code (default: code, adcode or division_code).",
        )

    def handle(self, *args, path: Path, code_property: str | None, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            count = boundaries_load_geojson(
                text=path.read_text(encoding="utf-8"), code_property=code_property
            )
        except InvalidInput as exc:
            for error in exc.errors:
                self.stderr.write(format_error(error))
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} boundaries."))
