"""Problems and consultations (会商). A consultation is recorded, and a conclusion reached, only
while the problem is open: moves of `workflow.PROBLEM`."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.events import publish
from dandelion.core.permissions import scope_queryset
from dandelion.orgs.selectors import organisations_all
from dandelion.regions.selectors import regions_all

from ..errors import NeedsError
from ..events import ProblemClosed, ProblemRaised
from ..models import Consultation, Need, Problem, ProblemEvent
from ..workflow import PROBLEM
from .common import fallback_role, move, staff_role

# Ids are 64-bit; a larger number names no row, and SQLite refuses it in an `IN (…)` list.
MAX_ID = 2**63 - 1
OUTCOMES = {Problem.State.SOLVED: "solve", Problem.State.UNSOLVED: "leave_unsolved"}


def _possible(ids) -> list[int]:
    return [i for i in ids if 0 < i <= MAX_ID]


def _role(actor, problem: Problem, action: str) -> str:
    spec = PROBLEM.by_action[action][0]
    found = staff_role(actor, spec.permission, region_code=problem.region.code)
    return found[0] if found else fallback_role(actor, spec.actors, own=False)


def _move(problem: Problem, action: str, *, actor, note: str = "", now=None, changes=None):
    current = Problem.objects.select_related("region").get(pk=problem.pk)
    return move(
        PROBLEM,
        current,
        action,
        labels=Problem.State.choices,
        actor=actor,
        actor_role=_role(actor, current, action),
        event_model=ProblemEvent,
        event_fk="problem",
        note=note,
        at=now,
        changes=changes,
    ).obj


@transaction.atomic
def problem_create(
    *,
    actor,
    title: str,
    region,
    description: str = "",
    need_ids: list[int] | tuple = (),
    now: datetime | None = None,
) -> Problem:
    """A recurring problem a dispatcher groups needs under, in a region of their scope."""
    errors = []
    title = (title or "").strip()
    if not 2 <= len(title) <= 120:
        errors.append(field_error("title", CoreError.INVALID_INPUT, _("请填写 2 到 120 个字")))
    if len(description or "") > 4000:
        errors.append(field_error("description", CoreError.TOO_LONG, _("最多 4000 字")))
    if not scope_queryset(actor, "problem.change", regions_all().filter(pk=region.pk)).exists():
        errors.append(field_error("region", NeedsError.OUT_OF_SCOPE, _("该区划不在你的辖区")))
    needs = list(
        scope_queryset(actor, "need.view", Need.objects.filter(pk__in=_possible(need_ids)))
    )
    if len(needs) != len(set(need_ids)):
        errors.append(
            field_error("need_ids", NeedsError.OUT_OF_SCOPE, _("有的诉求不存在或不在你的辖区"))
        )
    if errors:
        raise InvalidInput(_("问题没有填完整。"), code=NeedsError.INVALID_PROBLEM, errors=errors)
    problem = Problem.objects.create(
        title=title,
        description=(description or "").strip(),
        region=region,
        city_code=region.city_code,
        raised_at=now or timezone.now(),
        created_by=actor,
    )
    problem.needs.set(needs)
    publish(
        ProblemRaised(occurred_at=problem.raised_at, problem_id=problem.pk, region_code=region.code)
    )
    return problem


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
    problem = _move(problem, "consult", actor=actor, now=timezone.now())
    errors = []
    ids = list(dict.fromkeys(department_ids or []))
    departments = list(organisations_all().filter(pk__in=_possible(ids), is_active=True))
    if not ids:
        errors.append(field_error("department_ids", CoreError.REQUIRED, _("请至少选择一个部门")))
    elif len(departments) != len(ids):
        errors.append(
            field_error(
                "department_ids", NeedsError.UNKNOWN_DEPARTMENT, _("有的部门不存在或已停用")
            )
        )
    if owner_id is not None and owner_id not in ids:
        errors.append(
            field_error("owner_id", CoreError.INVALID_INPUT, _("牵头部门须是参会部门之一"))
        )
    decisions = (decisions or "").strip()
    if not decisions:
        errors.append(field_error("decisions", CoreError.REQUIRED, _("此项为必填项")))
    elif len(decisions) > 4000:
        errors.append(field_error("decisions", CoreError.TOO_LONG, _("最多 4000 字")))
    if len(attendees or "") > 1000:
        errors.append(field_error("attendees", CoreError.TOO_LONG, _("最多 1000 字")))
    if held_on is None:
        errors.append(field_error("held_on", CoreError.REQUIRED, _("请选择日期")))
    if errors:
        # The transaction rolls back: no event of a consultation that was not recorded.
        raise InvalidInput(
            _("会商记录没有填完整。"), code=NeedsError.INVALID_CONSULTATION, errors=errors
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
    now = now or timezone.now()
    action = OUTCOMES.get(outcome)
    if action is None:
        raise InvalidInput(
            _("请选择结论。"),
            code=CoreError.INVALID_INPUT,
            errors=[field_error("outcome", CoreError.INVALID_INPUT, _("请选择结论"))],
        )
    if len(note or "") > 2000:
        raise InvalidInput(
            _("最多 2000 字。"),
            code=CoreError.TOO_LONG,
            errors=[field_error("note", CoreError.TOO_LONG, _("最多 2000 字"))],
        )
    outcome_text = (note or "").strip()

    def concluded(locked: Problem, _t) -> list[str]:
        locked.outcome = outcome_text
        locked.closed_at = now
        return ["outcome", "closed_at"]

    problem = _move(problem, action, actor=actor, note=outcome_text, now=now, changes=concluded)
    publish(
        ProblemClosed(
            occurred_at=now,
            problem_id=problem.pk,
            region_code=problem.region.code,
            outcome=outcome,
        )
    )
    return problem
