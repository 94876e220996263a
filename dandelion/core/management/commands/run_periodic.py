import logging
import time

from django.core.management.base import BaseCommand, CommandError

from dandelion.core.periodic import periodic_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the registered periodic jobs when due (deadline escalation, expiries…)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--job", action="append", help="only this job (repeatable)")

    def handle(self, *args, once: bool, job: list[str] | None, **options):
        jobs = [j for j in periodic_jobs() if not job or j.name in job]
        if job and len(jobs) != len(set(job)):
            known = ", ".join(j.name for j in periodic_jobs())
            raise CommandError(f"Unknown job. Known jobs: {known}")
        due = {j.name: 0.0 for j in jobs}
        while True:
            now = time.monotonic()
            for j in jobs:
                if once or now >= due[j.name]:
                    try:
                        result = j.run()
                        self.stdout.write(f"{j.name}: {result}")
                    except Exception:
                        logger.exception("periodic job %s failed", j.name)
                        if once:
                            raise
                    due[j.name] = now + j.every_seconds
            if once:
                return
            time.sleep(max(1.0, min(due.values()) - time.monotonic()))
