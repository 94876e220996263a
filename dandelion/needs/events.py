"""Events the needs app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class NeedSubmitted(Event):
    """A worker submitted a need (点单); `occurred_at` is the submission."""

    name = "needs.need_submitted"

    need_id: int
    worker_id: int
    region_code: str
    item: str


@declare
class NeedResolved(Event):
    """A department resolved a need (办结); `occurred_at` is the resolution."""

    name = "needs.need_resolved"

    need_id: int
    worker_id: int
    department_id: int | None
    region_code: str
    round: int


@declare
class NeedRated(Event):
    """The worker rated how their need was handled (评单); `occurred_at` is the rating."""

    name = "needs.need_rated"

    need_id: int
    worker_id: int
    stars: int
    region_code: str


@declare
class WishPublished(Event):
    """A micro-wish went up on the public wall (微心愿上墙): at once, or when its review was
    approved; `occurred_at` is then. Volunteers nearby are told (为我推荐)."""

    name = "needs.wish_published"

    wish_id: int
    worker_id: int
    region_code: str
    region_name: str
    title: str


@declare
class WishPosted(Event):
    """A worker posted a micro-wish (许愿, `services.wish_create`), whether it went up on the
    wall at once (`state` open) or waits for review (`pending_review`); `occurred_at` is the
    posting. Going up on the wall is `WishPublished`."""

    name = "needs.wish_posted"

    wish_id: int
    worker_id: int
    region_code: str
    state: str


@declare
class WishFulfilled(Event):
    """The worker who made a micro-wish confirmed it came true (心愿实现,
    `services.wish_confirm`); `occurred_at` is the confirmation."""

    name = "needs.wish_fulfilled"

    wish_id: int
    worker_id: int
    region_code: str


@declare
class ProblemRaised(Event):
    """A dispatcher raised a recurring problem to consult on (问题, `services.problem_create`);
    `occurred_at` is when it was raised."""

    name = "needs.problem_raised"

    problem_id: int
    region_code: str


@declare
class ProblemClosed(Event):
    """A problem was concluded (`services.problem_close`): `outcome` `solved` or `unsolved`;
    `occurred_at` is the conclusion."""

    name = "needs.problem_closed"

    problem_id: int
    region_code: str
    outcome: str
