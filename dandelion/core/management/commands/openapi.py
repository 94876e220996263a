from django.core.management.base import BaseCommand, CommandError

from dandelion.core.openapi import drifted, write_all


class Command(BaseCommand):
    help = "Write the OpenAPI documents to docs/openapi/, or with --check fail if they drifted."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if a committed document is stale."
        )

    def handle(self, *args, check: bool, **options):
        if check:
            stale = drifted()
            if stale:
                raise CommandError(
                    "OpenAPI documents are out of date: "
                    + ", ".join(str(p) for p in stale)
                    + ". Run `make openapi` and commit the result."
                )
            self.stdout.write("OpenAPI documents are up to date.")
            return
        for path in write_all():
            self.stdout.write(f"Wrote {path}")
