from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import InvalidInput
from dandelion.regions.services import regions_load_csv


class Command(BaseCommand):
    help = (
        "Load administrative divisions from a CSV file (code,name[,parent_code,name_en,lat,lng])."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            count = regions_load_csv(text=path.read_text(encoding="utf-8"))
        except InvalidInput as exc:
            for err in exc.errors:
                self.stderr.write(f"line {err.get('line', '?')}: {err.get('field')}: {err['msg']}")
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} regions."))
