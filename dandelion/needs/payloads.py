"""Needs, events, wishes and problems as plain dicts: what the API returns and the pages show."""

from django.utils import timezone

from dandelion.catalog.selectors import answers_display, item_questions
from dandelion.core.privacy import phone_mask

from .models import Consultation, MicroWish, Need, NeedEvent, NeedReview, Problem, WishPledge
from .workflow import ACTION_LABELS

Role = NeedEvent.Role


def _ref(org) -> dict | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def event_by(event: NeedEvent) -> str:
    """Who acted, as the worker is allowed to see it: the office, never the person."""
    role = (
        str(Role(event.actor_role).label) if event.actor_role in Role.values else event.actor_role
    )
    if event.actor_role == Role.DEPARTMENT_HANDLER and event.office_name:
        return event.office_name
    if event.office_name:
        return f"{event.office_name} · {role}"
    return role


def event_payload(event: NeedEvent) -> dict:
    return {
        "action": event.action,
        "action_label": str(ACTION_LABELS.get(event.action, event.action)),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "to_state_label": str(Need.State(event.to_state).label)
        if event.to_state in Need.State.values
        else "",
        "by": event_by(event),
        "role": event.actor_role,
        "department": _ref(event.department),
        "note": event.note,
        "at": event.created_at,
    }


def need_payload(need: Need, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": need.pk,
        "state": need.state,
        "state_label": str(need.get_state_display()),
        "item": {"code": need.item.code, "name": need.item.label} if need.item_id else None,
        "item_label": need.item_label,
        "description": need.description,
        "urgency": need.urgency,
        "region": {"code": need.region.code, "name": need.region.name},
        "department": _ref(need.department),
        "submitted_at": need.submitted_at,
        "accept_due_at": need.accept_due_at,
        "resolve_due_at": need.resolve_due_at,
        "overdue": need.overdue_stage(now),
        "round": need.round,
    }


def need_detail_payload(need: Need, *, actions: list[str], show_worker: bool) -> dict:
    payload = need_payload(need)
    payload.update(
        {
            "answers": answers_display(questions=item_questions(need.item), answers=need.answers),
            "address": need.address,
            "lat": need.lat,
            "lng": need.lng,
            "resolution": need.resolution,
            "worker": (
                {
                    "id": need.worker_id,
                    "name": str(need.worker),
                    "phone": phone_mask(need.worker.phone),
                }
                if show_worker
                else None
            ),
            "photos": [photo.image.url for photo in need.photos.all()],
            "events": [event_payload(e) for e in need.events.all()],
            "ratings": [
                {
                    "round": r.round,
                    "stars": r.stars,
                    "tags": r.tags,
                    "comment": r.comment,
                    "at": r.created_at,
                }
                for r in need.ratings.all()
            ],
            "actions": actions,
        }
    )
    return payload


def review_payload(review: NeedReview) -> dict:
    need = review.need
    return {
        "id": review.pk,
        "need_id": need.pk,
        "item": {"code": need.item.code, "name": need.item.label} if need.item_id else None,
        "department": _ref(need.department),
        "stars": review.rating.stars,
        "comment": review.rating.comment,
        "state": review.state,
        "note": review.note,
        "opened_at": review.opened_at,
    }


def _pledged_by(wish: MicroWish) -> str | None:
    pledges = getattr(wish, "active_pledges", None)
    return pledges[0].display_name if pledges else None


def wish_payload(wish: MicroWish) -> dict:
    """A wish as the wall shows it: no worker, no need."""
    return {
        "id": wish.pk,
        "title": wish.title,
        "description": wish.description,
        "region": {"code": wish.region.code, "name": wish.region.name},
        "state": wish.state,
        "state_label": str(wish.get_state_display()),
        "created_at": wish.created_at,
        "pledged_by": _pledged_by(wish) if wish.state == MicroWish.State.PLEDGED else None,
    }


def my_wish_payload(wish: MicroWish) -> dict:
    return {**wish_payload(wish), "need_id": wish.need_id}


def pledge_payload(pledge: WishPledge) -> dict:
    return {
        "id": pledge.pk,
        "wish_id": pledge.wish_id,
        "kind": pledge.kind,
        "display_name": pledge.display_name,
        "state": pledge.state,
        "pledged_at": pledge.pledged_at,
        "due_at": pledge.due_at,
    }


def problem_payload(problem: Problem) -> dict:
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "region": {"code": problem.region.code, "name": problem.region.name},
        "state": problem.state,
        "state_label": str(problem.get_state_display()),
        "raised_at": problem.raised_at,
        "closed_at": problem.closed_at,
        "outcome": problem.outcome,
    }


def consultation_payload(consultation: Consultation) -> dict:
    return {
        "id": consultation.pk,
        "held_on": consultation.held_on,
        "departments": [_ref(d) for d in consultation.departments.all()],
        "attendees": consultation.attendees,
        "decisions": consultation.decisions,
        "owner": _ref(consultation.owner),
    }


def problem_detail_payload(problem: Problem) -> dict:
    return {
        **problem_payload(problem),
        "need_ids": [n.pk for n in problem.needs.all()],
        "consultations": [consultation_payload(c) for c in problem.consultations.all()],
    }
