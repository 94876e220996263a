"""Sign-ups (报名): confirmed while places last, otherwise a waiting list whose first person
moves up when a place frees (`workflow.SIGNUP`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, CoreError, NotFound
from dandelion.core.workflow import SYSTEM, transition
from dandelion.notifications.services import notification_send

from ..errors import VolunteeringError
from ..models import Activity, SignUp, SignUpEvent
from ..selectors import member_of
from ..workflow import SIGNUP, VOLUNTEER


def _may_join(user, activity: Activity) -> bool:
    if activity.visibility == Activity.Visibility.PUBLIC:
        return True
    return member_of(user=user, organisation=activity.organisation)


def _not_found() -> NotFound:
    return NotFound(_("没有这个活动。"), code=CoreError.NOT_FOUND, extra={"entity": "activity"})


@transaction.atomic
def signup_create(*, activity_id: int, user) -> tuple[SignUp, bool]:
    """Sign up: confirmed while places are left, otherwise on the waiting list. The activity's
    row lock makes the count and the insert one step, so capacity is never exceeded. Signing
    up again returns the existing place (`False`)."""
    activity = (
        Activity.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=activity_id)
        .first()
    )
    if (
        activity is None
        or activity.status == Activity.Status.DRAFT
        or not _may_join(user, activity)
    ):
        raise _not_found()
    existing = activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
    if existing is not None:
        return existing, False
    if activity.status != Activity.Status.PUBLISHED:
        raise Conflict(
            _("活动已结束或已取消，不能报名。"),
            code=VolunteeringError.ACTIVITY_CLOSED,
            extra={"entity": "activity", "state": activity.status},
        )
    now = timezone.now()
    if activity.starts_at <= now:
        raise Conflict(
            _("活动已经开始，不能再报名或取消。"), code=VolunteeringError.ACTIVITY_STARTED
        )
    confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    status = SignUp.Status.CONFIRMED if confirmed < activity.capacity else SignUp.Status.WAITING
    signup = SignUp.objects.create(activity=activity, user=user, status=status, created_at=now)
    SignUpEvent.objects.create(
        signup=signup,
        action="sign_up",
        from_state="",
        to_state=status,
        actor=user,
        actor_role=VOLUNTEER,
        created_at=now,
    )
    return signup, True


def promote_waiting(activity: Activity) -> list[SignUp]:
    """Move the first waiting people up while places are free; the caller holds the
    activity's lock."""
    free = activity.capacity - activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    if free <= 0:
        return []
    waiting = list(
        activity.signups.filter(status=SignUp.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()

    def promoted_at(locked: SignUp, move) -> list[str]:
        locked.promoted_at = now
        return ["promoted_at"]

    moved = [
        transition(
            SIGNUP,
            signup,
            "promote",
            actor=None,
            actor_role=SYSTEM,
            event_model=SignUpEvent,
            event_fk="signup",
            at=now,
            changes=promoted_at,
        ).obj
        for signup in waiting
    ]
    if moved:
        notification_send(
            recipients=[s.user for s in waiting],
            kind="volunteering.signup_promoted",
            params={"title": activity.title},
            url=f"/volunteer/activities/{activity.pk}/",
        )
    return moved


@transaction.atomic
def signup_cancel(*, activity_id: int, user) -> SignUp:
    """Cancel one's place, until the activity starts; the first waiting person moves up."""
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    signup = (
        activity.signups.filter(user=user, status__in=SignUp.OPEN_STATUSES).first()
        if activity
        else None
    )
    if signup is None:
        raise NotFound(
            _("你没有报名这个活动。"), code=CoreError.NOT_FOUND, extra={"entity": "signup"}
        )
    now = timezone.now()

    def not_started(locked: SignUp, move) -> None:
        if activity.starts_at <= now:
            raise Conflict(
                _("活动已经开始，不能取消报名，请联系组织者。"),
                code=VolunteeringError.ACTIVITY_STARTED,
            )

    def cancelled_at(locked: SignUp, move) -> list[str]:
        locked.cancelled_at = now
        return ["cancelled_at"]

    moved = transition(
        SIGNUP,
        signup,
        "cancel",
        actor=user,
        actor_role=VOLUNTEER,
        event_model=SignUpEvent,
        event_fk="signup",
        at=now,
        guard=not_started,
        changes=cancelled_at,
    )
    if moved.source == SignUp.Status.CONFIRMED and activity.status == Activity.Status.PUBLISHED:
        promote_waiting(activity)
    return moved.obj
