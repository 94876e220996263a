"""Who may do what with needs, reviews, problems and routing rules, and where.

- dispatcher (region scope): sees the region's needs, dispatches and re-routes, closes reviews
  of low ratings, runs consultations;
- department_handler (organisation scope): sees and acts on the needs routed to their
  organisation and the organisations below it, nothing else;
- region_admin (region scope): everything a dispatcher may, the escalation target, and the
  routing rules;
- the handlers of a need's department and its region's dispatchers and admins may reveal its
  worker's phone (`need.contact_worker`, audited); nobody else;
- auditor: reads;
- a worker (no role): their own needs, by relation.
"""

from django.db.models import Q

from dandelion.core import permissions

ROLE_ACTIONS = {
    "region_admin": {
        "need.view",
        "need.dispatch",
        "need.contact_worker",
        "need_review.close",
        "problem.view",
        "problem.change",
        "routing_rule.view",
        "routing_rule.change",
        "wish.moderate",
        "wish_policy.change",
    },
    "dispatcher": {
        "need.view",
        "need.dispatch",
        "need.contact_worker",
        "need_review.close",
        "problem.view",
        "problem.change",
        "routing_rule.view",
        "wish.moderate",
    },
    "department_handler": {
        "need.view",
        "need.accept",
        "need.decline",
        "need.start",
        "need.resolve",
        "need.contact_worker",
    },
    "auditor": {"need.view", "problem.view", "routing_rule.view"},
}
WORKER_ACTIONS = ("need.view", "need.rate", "need.reopen", "need.cancel")


def _own_need(user) -> Q:
    return Q(worker=user)


def register() -> None:
    for role, actions in ROLE_ACTIONS.items():
        permissions.allow(role, *actions)
    permissions.register_scope(
        "needs.need",
        region=lambda prefix: Q(region__code__startswith=prefix),
        organisation=lambda path: Q(department__path__startswith=path),
    )
    for action in WORKER_ACTIONS:
        permissions.register_rule(action, "needs.need", _own_need)
    permissions.register_scope(
        "needs.needreview", region=lambda prefix: Q(need__region__code__startswith=prefix)
    )
    permissions.register_scope(
        "needs.problem", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "needs.routingrule", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "needs.microwish", region=lambda prefix: Q(region__code__startswith=prefix)
    )
    permissions.register_scope(
        "needs.wishreviewpolicy", region=lambda prefix: Q(region__code__startswith=prefix)
    )
