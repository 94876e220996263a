"""The transition tables of activities, sign-ups and attendance (`core.workflow`).

Actor roles: `organiser` (whoever manages the activity: its organisation's leaders, region
admins over it; the `activity.manage` permission on the row says who), `volunteer` (the worker
on their own sign-up or attendance; the service has established it is theirs) and `system`
(the periodic job, moving people up the waiting list).

Rows are created in a first state with an event of their own (`create`, `sign_up`, `arrive`,
`record`), not by a transition; every later change of state goes through `transition`.
"""

from dandelion.core.workflow import SYSTEM, Transition, Workflow

from .models import Activity, Attendance, SignUp

ORGANISER = "organiser"
VOLUNTEER = "volunteer"
ROLES = (ORGANISER, VOLUNTEER, SYSTEM)

A = Activity.Status
ACTIVITY = Workflow(
    entity="activity",
    state_field="status",
    transitions=[
        Transition(
            "publish", [A.DRAFT], A.PUBLISHED, actors={ORGANISER}, permission="activity.manage"
        ),
        Transition(
            "cancel",
            [A.DRAFT, A.PUBLISHED],
            A.CANCELLED,
            actors={ORGANISER},
            permission="activity.manage",
        ),
        Transition(
            "finish",
            [A.PUBLISHED],
            A.FINISHED,
            actors={ORGANISER, SYSTEM},
            permission="activity.manage",
        ),
        # Changing an activity keeps its state: a draft changes freely, a published activity
        # keeps its time and place (`activity_update` checks it through the table, and writes no
        # event); a finished or cancelled one does not change.
        Transition("edit", [A.DRAFT], A.DRAFT, actors={ORGANISER}, permission="activity.manage"),
        Transition(
            "edit", [A.PUBLISHED], A.PUBLISHED, actors={ORGANISER}, permission="activity.manage"
        ),
    ],
)

S = SignUp.Status
SIGNUP = Workflow(
    entity="signup",
    state_field="status",
    transitions=[
        Transition("cancel", [S.CONFIRMED, S.WAITING], S.CANCELLED, actors={VOLUNTEER}),
        Transition("promote", [S.WAITING], S.CONFIRMED, actors={SYSTEM}),
    ],
)

T = Attendance.State
ATTENDANCE = Workflow(
    entity="attendance",
    state_field="state",
    transitions=[
        Transition("leave", [T.PRESENT], T.LEFT, actors={VOLUNTEER}),
        # The organiser records (or corrects, until confirmed) when someone was there: with a
        # leaving time they have left, without one they are still present.
        Transition(
            "record", [T.PRESENT, T.LEFT], T.LEFT, actors={ORGANISER}, permission="activity.manage"
        ),
        Transition(
            "record_arrival",
            [T.PRESENT, T.LEFT],
            T.PRESENT,
            actors={ORGANISER},
            permission="activity.manage",
        ),
        Transition(
            "confirm",
            [T.PRESENT, T.LEFT],
            T.CONFIRMED,
            actors={ORGANISER},
            permission="activity.manage",
        ),
    ],
)
