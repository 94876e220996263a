"""Micro-wishes: publish, pledge, confirm, withdraw, and pledges that lapse."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput, PermissionDenied
from dandelion.notifications.services import notification_send

from ..models import MicroWish, Need, WishPledge

PLEDGE_DAYS = 7
W = MicroWish.State
P = WishPledge.State


def _field(field: str, msg: str) -> dict[str, str]:
    return {"field": field, "msg": msg}


def _wish_url(wish: MicroWish) -> str:
    return reverse("needs:wish", args=[wish.pk])


def _wrong_state(wish: MicroWish, action: str, allowed: str) -> Conflict:
    return Conflict(
        f"This wish is {wish.state}; {action} is allowed only when {allowed}.",
        code="wish_illegal_transition",
        extra={"state": wish.state, "action": action},
    )


@transaction.atomic
def wish_create(
    *,
    worker,
    title: str,
    description: str = "",
    need: Need | None = None,
    now: datetime | None = None,
) -> MicroWish:
    """A worker's wish on the wall; published from one of their needs or on its own. The wall
    shows the wish and its street, never who made it."""
    errors = []
    title = (title or "").strip()
    description = (description or "").strip()
    if len(title) < 2 or len(title) > 60:
        errors.append(_field("title", "2 to 60 characters"))
    if len(description) > 500:
        errors.append(_field("description", "at most 500 characters"))
    if need is not None:
        if need.worker_id != worker.pk:
            errors.append(_field("need_id", "not your need"))
        elif MicroWish.objects.filter(need=need).exists():
            errors.append(_field("need_id", "already published as a wish"))
        region = need.region
    else:
        profile = getattr(worker, "worker_profile", None)
        region = profile.work_region if profile else None
        if region is None:
            errors.append(_field("title", "check in first so the wish has a street"))
    if errors:
        raise InvalidInput("The wish is incomplete or invalid.", code="invalid_wish", errors=errors)
    try:
        with transaction.atomic():
            return MicroWish.objects.create(
                worker=worker,
                need=need,
                title=title,
                description=description,
                region=region,
                city_code=region.city_code,
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:  # the same need published twice at once: the other one won
        raise InvalidInput(
            "The wish is incomplete or invalid.",
            code="invalid_wish",
            errors=[_field("need_id", "already published as a wish")],
        ) from exc


def _locked(wish: MicroWish) -> MicroWish:
    return MicroWish.objects.select_for_update().get(pk=wish.pk)


def _active_pledge(wish: MicroWish) -> WishPledge | None:
    return (
        WishPledge.objects.select_for_update()
        .filter(wish=wish, state=P.ACTIVE)
        .select_related("pledger")
        .first()
    )


@transaction.atomic
def wish_pledge(
    *,
    wish: MicroWish,
    pledger,
    kind: str,
    display_name: str,
    message: str = "",
    now: datetime | None = None,
) -> WishPledge:
    """Promise to fulfil a wish on the wall within `PLEDGE_DAYS`; the wish leaves the wall."""
    now = now or timezone.now()
    wish = _locked(wish)
    if wish.worker_id == pledger.pk:
        raise PermissionDenied("You cannot pledge your own wish.", code="own_wish")
    if wish.state != W.OPEN:
        raise _wrong_state(wish, "pledge", "open")
    errors = []
    display_name = (display_name or "").strip()
    if kind not in WishPledge.Kind.values:
        errors.append(_field("kind", "volunteer, organisation or merchant"))
    if not 2 <= len(display_name) <= 60:
        errors.append(_field("display_name", "2 to 60 characters"))
    if len(message or "") > 200:
        errors.append(_field("message", "at most 200 characters"))
    if errors:
        raise InvalidInput("The pledge is incomplete.", code="invalid_pledge", errors=errors)
    try:
        with transaction.atomic():
            pledge = WishPledge.objects.create(
                wish=wish,
                pledger=pledger,
                kind=kind,
                display_name=display_name,
                message=(message or "").strip(),
                pledged_at=now,
                due_at=now + timedelta(days=PLEDGE_DAYS),
            )
    except IntegrityError as exc:  # another pledge won the race
        raise Conflict(
            "Someone has just pledged this wish.",
            code="wish_already_pledged",
            extra={"state": "pledged"},
        ) from exc
    wish.state = W.PLEDGED
    wish.save(update_fields=["state"])
    notification_send(
        recipients=[wish.worker_id],
        kind="wishes.pledged",
        params={"wish_id": wish.pk, "title": wish.title, "pledger": display_name},
        url=_wish_url(wish),
    )
    return pledge


@transaction.atomic
def wish_confirm(*, wish: MicroWish, actor, now: datetime | None = None) -> MicroWish:
    """The worker says the wish came true: the wish and its pledge are fulfilled."""
    now = now or timezone.now()
    wish = _locked(wish)
    if wish.worker_id != actor.pk:
        raise PermissionDenied(
            "Only the person who made the wish confirms it.", code="not_your_wish"
        )
    if wish.state != W.PLEDGED:
        raise _wrong_state(wish, "confirm", "pledged")
    pledge = _active_pledge(wish)
    wish.state = W.FULFILLED
    wish.fulfilled_at = now
    wish.save(update_fields=["state", "fulfilled_at"])
    if pledge is not None:
        pledge.state = P.FULFILLED
        pledge.ended_at = now
        pledge.save(update_fields=["state", "ended_at"])
        notification_send(
            recipients=[pledge.pledger_id],
            kind="wishes.fulfilled",
            params={"wish_id": wish.pk, "title": wish.title},
            url=_wish_url(wish),
        )
    return wish


@transaction.atomic
def wish_withdraw(*, wish: MicroWish, actor, now: datetime | None = None) -> MicroWish:
    """The worker takes the wish down (open or pledged); a pledge in progress ends."""
    now = now or timezone.now()
    wish = _locked(wish)
    if wish.worker_id != actor.pk:
        raise PermissionDenied(
            "Only the person who made the wish withdraws it.", code="not_your_wish"
        )
    if wish.state not in (W.OPEN, W.PLEDGED):
        raise _wrong_state(wish, "withdraw", "open or pledged")
    pledge = _active_pledge(wish)
    if pledge is not None:
        pledge.state = P.WITHDRAWN
        pledge.ended_at = now
        pledge.save(update_fields=["state", "ended_at"])
    wish.state = W.WITHDRAWN
    wish.save(update_fields=["state"])
    return wish


@transaction.atomic
def pledge_withdraw(*, pledge: WishPledge, actor, now: datetime | None = None) -> WishPledge:
    """The pledger gives up; the wish goes back on the wall."""
    now = now or timezone.now()
    pledge = WishPledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.pledger_id != actor.pk:
        raise PermissionDenied("Not your pledge.", code="not_your_pledge")
    if pledge.state != P.ACTIVE:
        raise Conflict(
            f"This pledge is {pledge.state}.",
            code="pledge_not_active",
            extra={"state": pledge.state},
        )
    wish = _locked(pledge.wish)
    pledge.state = P.WITHDRAWN
    pledge.ended_at = now
    pledge.save(update_fields=["state", "ended_at"])
    if wish.state == W.PLEDGED:
        wish.state = W.OPEN
        wish.save(update_fields=["state"])
    return pledge


def pledges_lapse(*, now: datetime | None = None, limit: int = 500) -> int:
    """Pledges past their due time lapse and their wishes return to the wall (a periodic job;
    each pledge in its own transaction under its row lock, so running twice changes nothing)."""
    now = now or timezone.now()
    done = 0
    due = WishPledge.objects.filter(state=P.ACTIVE, due_at__lt=now).values_list("pk", flat=True)
    for pledge_id in list(due[:limit]):
        with transaction.atomic():
            pledge = (
                WishPledge.objects.select_for_update()
                .filter(pk=pledge_id, state=P.ACTIVE, due_at__lt=now)
                .first()
            )
            if pledge is None:
                continue
            wish = _locked(pledge.wish)
            pledge.state = P.LAPSED
            pledge.ended_at = now
            pledge.save(update_fields=["state", "ended_at"])
            if wish.state == W.PLEDGED:
                wish.state = W.OPEN
                wish.save(update_fields=["state"])
            notification_send(
                recipients=[pledge.pledger_id],
                kind="wishes.lapsed",
                params={"wish_id": wish.pk, "title": wish.title},
                url=_wish_url(wish),
            )
            done += 1
    return done
