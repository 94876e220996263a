"""A worker's needs and wishes in their data export, and what deleting their account clears."""

from datetime import datetime

from ..models import MicroWish, Need, WishPledge


def needs_export(user) -> dict:
    needs = Need.objects.filter(worker=user).select_related("item").prefetch_related("events")
    return {
        "needs": [
            {
                "id": need.pk,
                "item": need.item.code if need.item_id else None,
                "description": need.description,
                "answers": need.answers,
                "address": need.address,
                "state": need.state,
                "submitted_at": need.submitted_at.isoformat(),
                "events": [
                    {"action": e.action, "to_state": e.to_state, "at": e.created_at.isoformat()}
                    for e in need.events.all()
                ],
            }
            for need in needs
        ],
        "wishes": [
            {"id": w.pk, "title": w.title, "state": w.state, "created_at": w.created_at.isoformat()}
            for w in MicroWish.objects.filter(worker=user)
        ],
    }


def person_anonymise(user, actor, now: datetime) -> None:
    """Needs stay for the offices' records and the programme's counts, without the worker's words
    or place; wishes still on the wall come down."""
    Need.objects.filter(worker=user).update(
        description="", answers={}, address="", lat=None, lng=None
    )
    open_wishes = MicroWish.objects.filter(
        worker=user, state__in=[MicroWish.State.OPEN, MicroWish.State.PLEDGED]
    )
    WishPledge.objects.filter(wish__in=open_wishes, state=WishPledge.State.ACTIVE).update(
        state=WishPledge.State.WITHDRAWN, ended_at=now
    )
    open_wishes.update(state=MicroWish.State.WITHDRAWN)
    MicroWish.objects.filter(worker=user).update(description="")
