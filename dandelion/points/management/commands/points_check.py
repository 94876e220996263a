from django.core.management.base import BaseCommand, CommandError

from dandelion.points.selectors import ledger_problems


class Command(BaseCommand):
    help = (
        "Check the points ledger: every transfer's entries sum to zero and every account's "
        "cached balance equals the sum of its entries. Exits non-zero naming what is wrong."
    )

    def handle(self, *args, **options):
        problems = ledger_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.kind}: {problem.detail}")
            raise CommandError(f"points ledger: {len(problems)} problem(s) found.")
        self.stdout.write(
            self.style.SUCCESS("points ledger: all transfers balance, all balances match.")
        )
