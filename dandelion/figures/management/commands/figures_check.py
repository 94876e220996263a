"""`manage.py figures_check [--region CODE]`: recount every roll-up cell from the rows and exit
non-zero naming each figure that differs."""

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import ApplicationError
from dandelion.figures import selectors


class Command(BaseCommand):
    help = "Recount the figures from the rows; exit 1 naming every roll-up cell that differs."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Division code: only this region and inside it")

    def handle(self, *args, region=None, **options):
        try:
            differences = selectors.figures_differences(region_code=region)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(
                f"figures_check: {len(differences)} figure(s) differ from the recount; "
                "run figures_rebuild"
            )
        self.stdout.write("figures_check: every figure equals its recount")
