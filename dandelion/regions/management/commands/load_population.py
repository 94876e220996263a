"""`manage.py load_population FILE.csv [--city CODE]`: regions' populations or a population grid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import InvalidInput
from dandelion.regions.services import population_load_csv


def format_error(error: dict) -> str:
    where = f"line {error['line']}" if error.get("line") else "file"
    return f"{where} [{error.get('field')}]: {error['msg']}"


class Command(BaseCommand):
    help = (
        "Load populations from CSV: code,people sets regions' populations; h3,people[,city] loads "
        "a population grid of H3 resolution-9 cells. Every row is checked first; nothing is "
        "loaded when any is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--city", default=None, help="The city code of every grid cell (else worked out)."
        )

    def handle(self, *args, path: Path, city: str | None, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            count = population_load_csv(text=path.read_text(encoding="utf-8"), city_code=city)
        except InvalidInput as exc:
            for error in exc.errors:
                self.stderr.write(format_error(error))
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} rows."))
