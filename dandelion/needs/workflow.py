"""The needs app's state machines, each one `core.workflow.Workflow` table: needs, micro-wishes,
pledges, problems and reviews of low ratings. Every state change goes through
`core.workflow.transition` with one of these tables; anything else is the one 409
(`illegal_transition`) naming the entity and its state.

Actor roles: a need's `worker` (its author), the region's `dispatcher` or `region_admin`, the
department's `department_handler`, and the `system` (routing rules, deadlines). A wish's
`worker` is its author and its `pledger` whoever promised to fulfil it; the region's
dispatcher or admin reviews it where the region asks for review; anyone else is `public`, whom
no move names."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from dandelion.core.workflow import SYSTEM, Transition, Workflow

from .models import MicroWish, Need, NeedReview, Problem, WishPledge

S = Need.State
W = MicroWish.State
P = WishPledge.State

WORKER = "worker"
DISPATCHER = "dispatcher"
DEPARTMENT_HANDLER = "department_handler"
REGION_ADMIN = "region_admin"
PLEDGER = "pledger"
PUBLIC = "public"

REOPEN_WINDOW = timedelta(days=7)
SUBMIT = "submit"  # the event that creates a need: "" → submitted
# A staff member handling the need revealed the worker's phone: an event that moves nothing
# (its from and to are the need's state), so the worker's timeline shows which office looked.
CONTACT = "contact"

NEED = Workflow(
    entity="need",
    transitions=[
        # Dispatching again while dispatched is re-routing to another department; a routing
        # rule dispatches as the system.
        Transition(
            "dispatch",
            [S.SUBMITTED, S.DISPATCHED],
            S.DISPATCHED,
            actors={DISPATCHER, REGION_ADMIN, SYSTEM},
            permission="need.dispatch",
        ),
        Transition(
            "accept",
            [S.DISPATCHED],
            S.ACCEPTED,
            actors={DEPARTMENT_HANDLER},
            permission="need.accept",
        ),
        # A department that cannot take it sends it back to the dispatch queue with a reason.
        Transition(
            "decline",
            [S.DISPATCHED],
            S.SUBMITTED,
            actors={DEPARTMENT_HANDLER},
            permission="need.decline",
        ),
        Transition(
            "start",
            [S.ACCEPTED],
            S.IN_PROGRESS,
            actors={DEPARTMENT_HANDLER},
            permission="need.start",
        ),
        Transition(
            "resolve",
            [S.ACCEPTED, S.IN_PROGRESS],
            S.RESOLVED,
            actors={DEPARTMENT_HANDLER},
            permission="need.resolve",
        ),
        Transition("rate", [S.RESOLVED], S.CLOSED, actors={WORKER}, permission="need.rate"),
        # Within REOPEN_WINDOW of the resolution (a guard), back to the same department.
        Transition(
            "reopen",
            [S.RESOLVED, S.CLOSED],
            S.IN_PROGRESS,
            actors={WORKER},
            permission="need.reopen",
        ),
        # The worker cancels before a department has accepted.
        Transition(
            "cancel",
            [S.SUBMITTED, S.DISPATCHED],
            S.CANCELLED,
            actors={WORKER},
            permission="need.cancel",
        ),
    ],
)

# Every (from, to) pair a need's event may record as a move, its creation included (a `CONTACT`
# event records the state it found, unchanged).
ALLOWED_MOVES: frozenset[tuple[str, str]] = frozenset({("", S.SUBMITTED)} | NEED.moves())

WISH = Workflow(
    entity="wish",
    transitions=[
        # Where the region asks for review, a wish waits for its staff before the wall shows it.
        Transition(
            "approve",
            [W.PENDING_REVIEW],
            W.OPEN,
            actors={DISPATCHER, REGION_ADMIN},
            permission="wish.moderate",
        ),
        Transition(
            "reject",
            [W.PENDING_REVIEW],
            W.REJECTED,
            actors={DISPATCHER, REGION_ADMIN},
            permission="wish.moderate",
        ),
        Transition("pledge", [W.OPEN], W.PLEDGED, actors={PLEDGER}),
        Transition("confirm", [W.PLEDGED], W.FULFILLED, actors={WORKER}),
        Transition("withdraw", [W.PENDING_REVIEW, W.OPEN, W.PLEDGED], W.WITHDRAWN, actors={WORKER}),
        # The pledge ended unfulfilled (given up, or lapsed): the wish is back on the wall.
        Transition("release", [W.PLEDGED], W.OPEN, actors={PLEDGER, SYSTEM}),
    ],
)

PLEDGE = Workflow(
    entity="pledge",
    transitions=[
        Transition("fulfil", [P.ACTIVE], P.FULFILLED, actors={WORKER}),
        Transition("give_up", [P.ACTIVE], P.WITHDRAWN, actors={PLEDGER}),
        # The wish's author took the wish down while it was pledged.
        Transition("end", [P.ACTIVE], P.WITHDRAWN, actors={WORKER}),
        Transition("lapse", [P.ACTIVE], P.LAPSED, actors={SYSTEM}),
    ],
)

PROBLEM = Workflow(
    entity="problem",
    transitions=[
        # A consultation is recorded only while the problem is open; the state stays.
        Transition(
            "consult",
            [Problem.State.OPEN],
            Problem.State.OPEN,
            actors={DISPATCHER, REGION_ADMIN},
            permission="problem.change",
        ),
        Transition(
            "solve",
            [Problem.State.OPEN],
            Problem.State.SOLVED,
            actors={DISPATCHER, REGION_ADMIN},
            permission="problem.change",
        ),
        Transition(
            "leave_unsolved",
            [Problem.State.OPEN],
            Problem.State.UNSOLVED,
            actors={DISPATCHER, REGION_ADMIN},
            permission="problem.change",
        ),
    ],
)

REVIEW = Workflow(
    entity="review",
    transitions=[
        Transition(
            "close",
            [NeedReview.State.OPEN],
            NeedReview.State.CLOSED,
            actors={DISPATCHER, REGION_ADMIN},
            permission="need_review.close",
        ),
    ],
)

ACTION_LABELS = {
    SUBMIT: _("提交诉求"),
    "dispatch": _("派单"),
    "accept": _("接单"),
    "decline": _("退回"),
    "start": _("开始办理"),
    "resolve": _("办结"),
    "rate": _("评价"),
    "reopen": _("重新办理"),
    "cancel": _("撤销"),
    CONTACT: _("查看提出人电话"),
}
