"""The demo city's figures: the roll-ups rebuilt from every demo row the other loaders wrote
(issue 16). Runs last; running it again rebuilds the same cells and creates nothing new."""

from dandelion.figures import services
from dandelion.figures.models import DailyFigure, FigurePerson

from .city import DEFAULT_SEED


def demo_figures_load(*, seed: int = DEFAULT_SEED) -> dict[str, int]:
    before = DailyFigure.objects.count() + FigurePerson.objects.count()
    services.figures_rebuild()
    after = DailyFigure.objects.count() + FigurePerson.objects.count()
    return {"roll-up rows": max(0, after - before)}
