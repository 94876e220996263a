"""`manage.py import_stations PATH [--only-valid] [--dry-run]`: load a station list file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import InvalidInput
from dandelion.stations.importing import ImportReport, stations_import
from dandelion.stations.tabular import MAX_FILE_BYTES


def format_error(error: dict) -> str:
    line = error.get("line")
    where = f"line {line}" if line else "file"
    field = f" [{error['field']}]" if error.get("field") else ""
    return f"{where}{field}: {error['msg']}"


class Command(BaseCommand):
    help = "Import stations from a CSV or XLSX file; rows are upserted by (name, region)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--only-valid", action="store_true", help="Import the good rows, report the rest."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )

    def handle(self, *args, path: Path, only_valid: bool, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # enough to tell that it is too large
        try:
            report = stations_import(
                data=data, filename=path.name, only_valid=only_valid, dry_run=dry_run
            )
        except InvalidInput as exc:
            for error in exc.errors:
                self.stderr.write(format_error(error))
            raise CommandError(exc.message) from exc
        self._print(report)

    def _print(self, report: ImportReport) -> None:
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for error in report.errors:
            self.stderr.write(self.style.ERROR(format_error(error)))
        prefix = "Dry run, nothing written: " if report.dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.rows} rows: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {len({e['line'] for e in report.errors})} skipped."
            )
        )
