"""Micro-wishes: publish, pledge, confirm, withdraw, and pledges that lapse. Every state change
of a wish or a pledge is a move of `workflow.WISH` or `workflow.PLEDGE`."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, CoreError, InvalidInput, field_error
from dandelion.core.events import publish
from dandelion.core.ratelimit import submissions_consume
from dandelion.core.workflow import SYSTEM
from dandelion.notifications.services import notification_send

from ..errors import NeedsError
from ..events import WishFulfilled, WishPosted, WishPublished
from ..models import MicroWish, MicroWishEvent, Need, WishPledge, WishPledgeEvent
from ..selectors import wish_review_required
from ..workflow import DISPATCHER, PLEDGE, PLEDGER, PUBLIC, REGION_ADMIN, WISH, WORKER
from .common import fallback_role, move, staff_role, text

PLEDGE_DAYS = 7
W = MicroWish.State
P = WishPledge.State


def _wish_url(wish: MicroWish) -> str:
    return reverse("needs:wish", args=[wish.pk])


def _wish_move(wish: MicroWish, action: str, *, actor, role: str, now, note="") -> MicroWish:
    return move(
        WISH,
        wish,
        action,
        labels=W.choices,
        actor=actor,
        actor_role=role,
        event_model=MicroWishEvent,
        event_fk="wish",
        note=note,
        at=now,
        changes=(lambda locked, _t: _fulfilled(locked, now)) if action == "confirm" else None,
    ).obj


def _fulfilled(wish: MicroWish, now) -> list[str]:
    wish.fulfilled_at = now
    return ["fulfilled_at"]


def _pledge_move(pledge: WishPledge, action: str, *, actor, role: str, now) -> WishPledge:
    def ended(locked: WishPledge, _t) -> list[str]:
        locked.ended_at = now
        return ["ended_at"]

    return move(
        PLEDGE,
        pledge,
        action,
        labels=P.choices,
        actor=actor,
        actor_role=role,
        event_model=WishPledgeEvent,
        event_fk="pledge",
        at=now,
        changes=ended,
    ).obj


def _wish_role(wish: MicroWish, actor) -> str:
    if actor is None:
        return SYSTEM
    if wish.worker_id == actor.pk:
        return WORKER
    if WishPledge.objects.filter(wish=wish, pledger=actor, state=P.ACTIVE).exists():
        return PLEDGER
    return PUBLIC


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
    shows the wish and its street, never who made it. Where the region requires review
    (`WishReviewPolicy`) the wish waits, unseen, for its staff to approve it. Each wish counts
    against the worker's submission limit (`SUBMISSION_RATES`, 429 beyond it)."""
    errors = []
    title = (title or "").strip()
    description = (description or "").strip()
    if len(title) < 2 or len(title) > 60:
        errors.append(field_error("title", CoreError.INVALID_INPUT, _("请填写 2 到 60 个字")))
    if len(description) > 500:
        errors.append(field_error("description", CoreError.TOO_LONG, _("最多 500 字")))
    if need is not None:
        if need.worker_id != worker.pk:
            errors.append(field_error("need_id", NeedsError.NOT_YOUR_NEED, _("这不是你的诉求")))
        elif MicroWish.objects.filter(need=need).exists():
            errors.append(
                field_error("need_id", NeedsError.ALREADY_A_WISH, _("这条诉求已经发布为微心愿"))
            )
        region = need.region
    else:
        profile = getattr(worker, "worker_profile", None)
        region = profile.work_region if profile else None
        if region is None:
            # Registration (报到) gives the worker a street, and the wish the street it shows.
            errors.append(
                field_error("title", NeedsError.REGISTRATION_REQUIRED, _("请先完成在线报到"))
            )
    if errors:
        raise InvalidInput(
            _("心愿没有填完整，或有填错的地方。"), code=NeedsError.INVALID_WISH, errors=errors
        )
    # Counted in this transaction: a wish refused below counts nothing.
    submissions_consume(person=worker, kind="wish")
    reviewed = wish_review_required(region=region)
    try:
        with transaction.atomic():
            wish = MicroWish.objects.create(
                worker=worker,
                need=need,
                title=title,
                description=description,
                region=region,
                city_code=region.city_code,
                state=W.PENDING_REVIEW if reviewed else W.OPEN,
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:  # the same need published twice at once: the other one won
        raise InvalidInput(
            _("心愿没有填完整，或有填错的地方。"),
            code=NeedsError.INVALID_WISH,
            errors=[
                field_error("need_id", NeedsError.ALREADY_A_WISH, _("这条诉求已经发布为微心愿"))
            ],
        ) from exc
    publish(
        WishPosted(
            occurred_at=wish.created_at,
            wish_id=wish.pk,
            worker_id=wish.worker_id,
            region_code=region.code,
            state=wish.state,
        )
    )
    if wish.state == W.OPEN:
        wish_published(wish, at=wish.created_at)
    return wish


def wish_published(wish: MicroWish, *, at: datetime) -> None:
    """Announce, when the transaction commits, a wish that went on the wall at `at` (created
    open, or approved after review)."""
    publish(
        WishPublished(
            occurred_at=at,
            wish_id=wish.pk,
            worker_id=wish.worker_id,
            region_code=wish.region.code,
            region_name=wish.region.name,
            title=wish.title,
        )
    )


def _reviewer_role(wish: MicroWish, actor) -> str:
    found = staff_role(actor, "wish.moderate", region_code=wish.region.code)
    return found[0] if found else fallback_role(actor, {DISPATCHER, REGION_ADMIN}, own=False)


@transaction.atomic
def wish_approve(*, wish: MicroWish, actor, now: datetime | None = None) -> MicroWish:
    """The region's staff let a wish waiting for review onto the wall; its author is told."""
    now = now or timezone.now()
    wish = _wish_move(wish, "approve", actor=actor, role=_reviewer_role(wish, actor), now=now)
    wish_published(wish, at=now)
    notification_send(
        recipients=[wish.worker_id],
        kind="wishes.approved",
        params={"wish_id": wish.pk, "title": wish.title},
        url=_wish_url(wish),
    )
    return wish


@transaction.atomic
def wish_reject(*, wish: MicroWish, actor, reason: str, now: datetime | None = None) -> MicroWish:
    """The region's staff keep a wish off the wall, saying why; its author is told the reason."""
    now = now or timezone.now()
    reason = text(reason, "reason", required=True, limit=200)
    wish = _wish_move(
        wish, "reject", actor=actor, role=_reviewer_role(wish, actor), now=now, note=reason
    )
    notification_send(
        recipients=[wish.worker_id],
        kind="wishes.rejected",
        params={"wish_id": wish.pk, "title": wish.title, "reason": reason},
        url=_wish_url(wish),
    )
    return wish


def _active_pledge(wish: MicroWish) -> WishPledge | None:
    return WishPledge.objects.filter(wish=wish, state=P.ACTIVE).first()


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
    """Promise to fulfil a wish on the wall within `PLEDGE_DAYS`; the wish leaves the wall.
    The wish's own author cannot pledge it (the table names only pledgers)."""
    now = now or timezone.now()
    role = WORKER if wish.worker_id == pledger.pk else PLEDGER
    errors = []
    display_name = (display_name or "").strip()
    if kind not in WishPledge.Kind.values:
        errors.append(field_error("kind", CoreError.INVALID_INPUT, _("请选择认领方")))
    if not 2 <= len(display_name) <= 60:
        errors.append(
            field_error("display_name", CoreError.INVALID_INPUT, _("请填写 2 到 60 个字"))
        )
    if len(message or "") > 200:
        errors.append(field_error("message", CoreError.TOO_LONG, _("最多 200 字")))
    if errors and role == PLEDGER:
        raise InvalidInput(_("认领信息没有填完整。"), code=NeedsError.INVALID_PLEDGE, errors=errors)
    wish = _wish_move(wish, "pledge", actor=pledger, role=role, now=now)
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
            _("刚刚有人认领了这个心愿。"),
            code=NeedsError.WISH_ALREADY_PLEDGED,
            extra={"entity": "wish", "state": W.PLEDGED},
        ) from exc
    notification_send(
        recipients=[wish.worker_id],
        kind="wishes.pledged",
        params={"wish_id": wish.pk, "title": wish.title, "pledger": display_name},
        url=_wish_url(wish),
    )
    return pledge


@transaction.atomic
def wish_confirm(*, wish: MicroWish, actor, now: datetime | None = None) -> MicroWish:
    """The worker who made the wish says it came true: the wish and its pledge are fulfilled."""
    now = now or timezone.now()
    wish = _wish_move(wish, "confirm", actor=actor, role=_wish_role(wish, actor), now=now)
    publish(
        WishFulfilled(
            occurred_at=now,
            wish_id=wish.pk,
            worker_id=wish.worker_id,
            region_code=wish.region.code,
        )
    )
    pledge = _active_pledge(wish)
    if pledge is not None:
        _pledge_move(pledge, "fulfil", actor=actor, role=WORKER, now=now)
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
    wish = _wish_move(wish, "withdraw", actor=actor, role=_wish_role(wish, actor), now=now)
    pledge = _active_pledge(wish)
    if pledge is not None:
        _pledge_move(pledge, "end", actor=actor, role=WORKER, now=now)
    return wish


def _release(pledge: WishPledge, *, actor, role: str, now) -> None:
    """The wish of a pledge that ended unfulfilled goes back on the wall."""
    wish = MicroWish.objects.get(pk=pledge.wish_id)
    if wish.state == W.PLEDGED:
        _wish_move(wish, "release", actor=actor, role=role, now=now)


@transaction.atomic
def pledge_withdraw(*, pledge: WishPledge, actor, now: datetime | None = None) -> WishPledge:
    """The pledger gives up; the wish goes back on the wall."""
    now = now or timezone.now()
    role = PLEDGER if pledge.pledger_id == actor.pk else PUBLIC
    pledge = _pledge_move(pledge, "give_up", actor=actor, role=role, now=now)
    _release(pledge, actor=actor, role=PLEDGER, now=now)
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
            pledge = _pledge_move(pledge, "lapse", actor=None, role=SYSTEM, now=now)
            _release(pledge, actor=None, role=SYSTEM, now=now)
            notification_send(
                recipients=[pledge.pledger_id],
                kind="wishes.lapsed",
                params={"wish_id": pledge.wish_id, "title": pledge.wish.title},
                url=reverse("needs:wish", args=[pledge.wish_id]),
            )
            done += 1
    return done
