"""`manage.py export_stations PATH [--region CODE]`: write stations to a .csv or .xlsx file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import ApplicationError
from dandelion.stations.exporting import FORMATS, stations_export
from dandelion.stations.selectors import station_list


class Command(BaseCommand):
    help = "Export stations (every status) to CSV or XLSX, in the columns import_stations reads."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--region", help="Only stations inside this division code.")

    def handle(self, *args, path: Path, region: str | None, **options):
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError("PATH must end in .csv or .xlsx.")
        try:
            stations = station_list(region_code=region, statuses=())
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        data = stations_export(stations=stations, file_format=file_format)
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {stations.count()} stations to {path}."))
