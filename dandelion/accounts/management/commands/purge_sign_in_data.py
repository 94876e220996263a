from django.core.management.base import BaseCommand

from dandelion.accounts.services import sign_in_data_purge


class Command(BaseCommand):
    help = "Delete used or expired sign-in codes, long-dead API tokens and closed rate limits."

    def handle(self, *args, **options):
        counts = sign_in_data_purge()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
