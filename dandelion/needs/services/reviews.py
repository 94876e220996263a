"""The dispatcher's review of a low rating (回访复核)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..models import NeedReview, NeedReviewEvent
from ..workflow import REVIEW
from .common import fallback_role, move, staff_role, text


@transaction.atomic
def review_close(
    *, review: NeedReview, actor, note: str, now: datetime | None = None
) -> NeedReview:
    """The dispatcher's conclusion on a low rating: a note is required."""
    now = now or timezone.now()
    spec = REVIEW.by_action["close"][0]
    current = NeedReview.objects.select_related("need__region").get(pk=review.pk)
    found = staff_role(actor, spec.permission, region_code=current.need.region.code)
    role = found[0] if found else fallback_role(actor, spec.actors, own=False)
    note = text(note, "note", required=True)

    def changes(locked: NeedReview, move_) -> list[str]:
        locked.note = note
        locked.closed_at = now
        locked.closed_by = actor
        return ["note", "closed_at", "closed_by"]

    moved = move(
        REVIEW,
        current,
        "close",
        labels=NeedReview.State.choices,
        actor=actor,
        actor_role=role,
        event_model=NeedReviewEvent,
        event_fk="review",
        note=note,
        at=now,
        changes=changes,
    )
    return moved.obj
