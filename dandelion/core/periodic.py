"""Jobs that run on a clock: deadline escalation, lapsed pledges, expired redemptions.

Apps register a job with its interval in `AppConfig.ready()`; `manage.py run_periodic` runs each
job when it is due (`--once` runs every job once and exits, for cron or a test). Jobs must be
safe to run twice and from two machines at once (they select due rows under row locks), because
nothing here elects a single runner.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, *, every_seconds: int, run: Callable[[], object]) -> None:
    _jobs[name] = PeriodicJob(name=name, every_seconds=every_seconds, run=run)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)
