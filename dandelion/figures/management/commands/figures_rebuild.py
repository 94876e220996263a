"""`manage.py figures_rebuild [--region CODE] [--from YYYY-MM-DD]`: rebuild the roll-ups from
the rows they count (stocks whole, flows from `--from`)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import ApplicationError
from dandelion.figures import services


class Command(BaseCommand):
    help = "Rebuild the figures' roll-ups from the rows they count."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Division code: only this region and inside it")
        parser.add_argument("--from", dest="day_from", help="First day to rebuild, YYYY-MM-DD")

    def handle(self, *args, region=None, day_from=None, **options):
        try:
            first = date.fromisoformat(day_from) if day_from else None
        except ValueError as exc:
            raise CommandError(f"--from: {exc}") from exc
        try:
            written = services.figures_rebuild(region_code=region, day_from=first)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"figures_rebuild: {written} roll-up rows written")
