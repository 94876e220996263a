"""Events the orgs app publishes (`core.events`)."""

from dandelion.core.events import Event, declare


@declare
class OrganisationChanged(Event):
    """An organisation was created (`created`), or changed its kind, region or whether it is
    active (`services.organisation_create`, `services.organisation_update`; nothing is
    announced for other fields). `kind` is an `Organisation.Kind` code; `changed` names the
    fields that changed (`kind`, `region`, `is_active`; empty on creation);
    `previous_region_code` is the region before a move (None otherwise). `occurred_at` is
    then."""

    name = "orgs.organisation_changed"

    organisation_id: int
    kind: str
    region_code: str
    previous_region_code: str | None = None
    is_active: bool
    created: bool = False
    changed: tuple[str, ...] = ()


@declare
class PartyMembershipChanged(Event):
    """A branch decided on a party member's return to the team (党员归队): `state` confirmed or
    declined (`services.party_membership_confirm`/`_decline`), or the declaration was erased with
    its person's account (`erased`). `occurred_at` is then; `region_code` is the branch's.
    Party membership is sensitive: the event names no person."""

    name = "orgs.party_membership_changed"

    party_membership_id: int
    branch_id: int
    region_code: str
    state: str
