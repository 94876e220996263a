"""A worker's needs and wishes in their data export, and what deleting their account clears."""

from datetime import datetime

from django.db import transaction

from ..models import MicroWish, Need, NeedEvent, NeedPhoto, NeedRating, WishPledge


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
    """Needs stay for the offices' records and the programme's counts (states, stars, the
    offices' notes), without the worker's words, photos or place; wishes still on the wall come
    down. Photo files go once the deletion commits, so a rollback keeps them."""
    Need.objects.filter(worker=user).update(
        description="", answers={}, address="", lat=None, lng=None
    )
    # Reasons given when cancelling or reopening, and rating comments, are the worker's words too.
    NeedEvent.objects.filter(need__worker=user, actor_role=NeedEvent.Role.WORKER).update(note="")
    NeedRating.objects.filter(need__worker=user).update(comment="")
    photos = NeedPhoto.objects.filter(need__worker=user)
    files = [photo.image for photo in photos]
    photos.delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in files], robust=True)
    open_wishes = MicroWish.objects.filter(
        worker=user, state__in=[MicroWish.State.OPEN, MicroWish.State.PLEDGED]
    )
    WishPledge.objects.filter(wish__in=open_wishes, state=WishPledge.State.ACTIVE).update(
        state=WishPledge.State.WITHDRAWN, ended_at=now
    )
    open_wishes.update(state=MicroWish.State.WITHDRAWN)
    MicroWish.objects.filter(worker=user).update(description="")
