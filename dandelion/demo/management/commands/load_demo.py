from django.core.management.base import BaseCommand, CommandError

from dandelion.core.errors import ApplicationError
from dandelion.demo.city import DEFAULT_SEED
from dandelion.demo.demo_boundaries import demo_boundaries_load
from dandelion.demo.demo_demand import demo_demand_load
from dandelion.demo.demo_figures import demo_figures_load
from dandelion.demo.demo_needs import demo_needs_load
from dandelion.demo.demo_reports import demo_reports_load
from dandelion.demo.demo_standards import demo_standards_load
from dandelion.demo.demo_volunteering import demo_volunteering_load
from dandelion.demo.demo_worklog import demo_worklog_load
from dandelion.demo.people import DEMO_PASSWORD, demo_people_load
from dandelion.demo.services import demo_city_load


class Command(BaseCommand):
    help = (
        "Load the Jiujiang (九江) demo city: divisions, 183 stations, caring merchants and "
        "service corners; staff for every role, 300 workers, teams and party branches. "
        "Deterministic per seed; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")

    def handle(self, *args, seed: int, **options):
        try:
            summary = demo_city_load(seed=seed)
            people = demo_people_load(seed=seed)
            # Each capability's demo rows, after the people who own them.
            extras = {
                "needs": demo_needs_load(seed=seed),
                "reports": demo_reports_load(seed=seed),
                "volunteering and points": demo_volunteering_load(seed=seed),
                "region shapes and people": demo_boundaries_load(seed=seed),
                "workers' search demand": demo_demand_load(seed=seed),
                "station facts and work logs": demo_worklog_load(seed=seed),
                "star ratings": demo_standards_load(seed=seed),
                # Keep last: the figures' roll-ups are rebuilt from every row above.
                "figures": demo_figures_load(seed=seed),
            }
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        created, updated = summary.created, summary.updated
        origins = ", ".join(f"{k} {v}" for k, v in sorted(summary.stations_by_origin.items()))
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary.stations_by_kind.items()))
        partners = ", ".join(f"{k} {v}" for k, v in sorted(summary.partners_by_kind.items()))
        self.stdout.write(f"Jiujiang demo city, seed {summary.seed}:")
        self.stdout.write(f"  regions upserted: {summary.regions}")
        self.stdout.write(
            f"  stations: {sum(summary.stations_by_kind.values())} "
            f"({created['station']} created, {updated['station']} updated), "
            f"{summary.stations_24h} open 24 hours"
        )
        self.stdout.write(f"    by origin: {origins}")
        self.stdout.write(f"    by kind: {kinds}")
        self.stdout.write(
            f"  partner places: {sum(summary.partners_by_kind.values())} "
            f"({created['partner']} created, {updated['partner']} updated): {partners}"
        )
        self.stdout.write(
            f"  dated exceptions: {summary.exceptions_added} added, "
            f"{summary.exceptions_removed} removed"
        )
        made = ", ".join(f"{k} {v}" for k, v in sorted(people.created.items())) or "nothing"
        self.stdout.write(f"  people created: {made}")
        for label, counts in extras.items():
            made = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v) or "nothing new"
            self.stdout.write(f"  {label}: {made}")
        self.stdout.write(f"  staff accounts share the demo password {DEMO_PASSWORD!r}")
        self.stdout.write(self.style.SUCCESS("Done."))
