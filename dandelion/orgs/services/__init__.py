"""All writes of organisations, memberships and party return-to-team."""

from .memberships import (
    membership_add,
    membership_approve,
    membership_decline,
    membership_leave,
    membership_request,
)
from .organisations import organisation_create, organisation_rotate_code, organisation_update
from .party import party_membership_confirm, party_membership_declare, party_membership_decline
from .people import person_anonymise

__all__ = [
    "membership_add",
    "membership_approve",
    "membership_decline",
    "membership_leave",
    "membership_request",
    "organisation_create",
    "organisation_rotate_code",
    "organisation_update",
    "party_membership_confirm",
    "party_membership_declare",
    "party_membership_decline",
    "person_anonymise",
]
