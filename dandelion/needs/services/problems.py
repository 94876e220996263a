"""Problems and consultations (会商)."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput
from dandelion.core.permissions import require, scope_queryset
from dandelion.orgs.models import Organisation
from dandelion.regions.models import Region

from ..models import Consultation, Need, Problem

# Ids are 64-bit; a larger number names no row, and SQLite refuses it in an `IN (…)` list.
MAX_ID = 2**63 - 1


def _possible(ids) -> list[int]:
    return [i for i in ids if 0 < i <= MAX_ID]


def _field(field: str, msg: str) -> dict[str, str]:
    return {"field": field, "msg": msg}


@transaction.atomic
def problem_create(
    *,
    actor,
    title: str,
    region: Region,
    description: str = "",
    need_ids: list[int] | tuple = (),
    now: datetime | None = None,
) -> Problem:
    """A recurring problem a dispatcher groups needs under, in a region of their scope."""
    errors = []
    title = (title or "").strip()
    if not 2 <= len(title) <= 120:
        errors.append(_field("title", "2 to 120 characters"))
    if len(description or "") > 4000:
        errors.append(_field("description", "at most 4000 characters"))
    if not scope_queryset(actor, "problem.change", Region.objects.filter(pk=region.pk)).exists():
        errors.append(_field("region", "outside your scope"))
    needs = list(
        scope_queryset(actor, "need.view", Need.objects.filter(pk__in=_possible(need_ids)))
    )
    if len(needs) != len(set(need_ids)):
        errors.append(_field("need_ids", "unknown needs or outside your scope"))
    if errors:
        raise InvalidInput("The problem is incomplete.", code="invalid_problem", errors=errors)
    problem = Problem.objects.create(
        title=title,
        description=(description or "").strip(),
        region=region,
        city_code=region.city_code,
        raised_at=now or timezone.now(),
        created_by=actor,
    )
    problem.needs.set(needs)
    return problem


def _open(problem: Problem, action: str) -> Problem:
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.state != Problem.State.OPEN:
        raise Conflict(
            f"This problem is {locked.state}; {action} is allowed only while it is open.",
            code="problem_closed",
            extra={"state": locked.state, "action": action},
        )
    return locked


@transaction.atomic
def consultation_record(
    *,
    problem: Problem,
    actor,
    held_on: date,
    department_ids: list[int],
    decisions: str,
    attendees: str = "",
    owner_id: int | None = None,
) -> Consultation:
    """Minutes of a consultation with several departments about an open problem."""
    require(actor, "problem.change", problem)
    problem = _open(problem, "consult")
    errors = []
    ids = list(dict.fromkeys(department_ids or []))
    departments = list(Organisation.objects.filter(pk__in=_possible(ids), is_active=True))
    if not ids:
        errors.append(_field("department_ids", "at least one department"))
    elif len(departments) != len(ids):
        errors.append(_field("department_ids", "unknown or inactive organisations"))
    if owner_id is not None and owner_id not in ids:
        errors.append(_field("owner_id", "must be one of the departments"))
    decisions = (decisions or "").strip()
    if not decisions:
        errors.append(_field("decisions", "required"))
    elif len(decisions) > 4000:
        errors.append(_field("decisions", "at most 4000 characters"))
    if len(attendees or "") > 1000:
        errors.append(_field("attendees", "at most 1000 characters"))
    if held_on is None:
        errors.append(_field("held_on", "required"))
    if errors:
        raise InvalidInput(
            "The consultation is incomplete.", code="invalid_consultation", errors=errors
        )
    consultation = Consultation.objects.create(
        problem=problem,
        held_on=held_on,
        attendees=(attendees or "").strip(),
        decisions=decisions,
        owner_id=owner_id,
        created_by=actor,
    )
    consultation.departments.set(departments)
    return consultation


@transaction.atomic
def problem_close(
    *, problem: Problem, actor, outcome: str, note: str = "", now: datetime | None = None
) -> Problem:
    """Record the problem as solved or not solved."""
    require(actor, "problem.change", problem)
    problem = _open(problem, "close")
    if outcome not in (Problem.State.SOLVED, Problem.State.UNSOLVED):
        raise InvalidInput(
            "The outcome is solved or unsolved.",
            code="invalid_input",
            errors=[_field("outcome", "solved or unsolved")],
        )
    if len(note or "") > 2000:
        raise InvalidInput(
            "Too long.", code="invalid_input", errors=[_field("note", "at most 2000")]
        )
    problem.state = outcome
    problem.outcome = (note or "").strip()
    problem.closed_at = now or timezone.now()
    problem.save()
    return problem
