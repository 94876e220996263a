"""API schemas of organisations and party return-to-team."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from dandelion.core.refs import RegionRef, UserRef

OrganisationKind = Literal[
    "party_committee",
    "party_branch",
    "government_department",
    "street_office",
    "community",
    "property_company",
    "volunteer_team",
    "social_organisation",
    "platform_company",
    "merchant",
]
MembershipStatus = Literal["pending", "active", "declined", "left"]
PartyStatus = Literal["full", "probationary", "activist", "applicant"]
PartyState = Literal["pending", "confirmed", "declined"]


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class StationRef(Schema):
    id: int
    name: str


class MyMembershipOut(Schema):
    id: int
    role: str
    status: str


class OrganisationOut(OrganisationRef):
    region: RegionRef
    parent_id: int | None
    station: StationRef | None
    description: str
    is_active: bool
    my_membership: MyMembershipOut | None = Field(description="The caller's open membership")


class OrganisationFilters(Schema):
    kind: list[OrganisationKind] = Field(default_factory=list)
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$", description="Division code")
    q: str | None = Field(None, max_length=100, description="Text in the name")
    mine: bool = Field(False, description="Only organisations the caller belongs to")


class OrganisationCodeOut(Schema):
    organisation: OrganisationRef
    purpose: Literal["join", "return"] = Field(
        description="`join` a team; `return` to a party branch (归队)"
    )
    code: str
    url: str = Field(description="What the QR code holds: the H5 page that takes the code")
    expires_at: datetime


class CodePreviewOut(Schema):
    organisation: OrganisationRef
    region: RegionRef
    purpose: Literal["join", "return"]


class JoinIn(Schema):
    code: str = Field(..., min_length=10, max_length=200)


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRef
    user: UserRef
    role: str
    role_label: str
    status: str
    status_label: str
    requested_at: datetime
    decided_at: datetime | None


class MembershipFilters(Schema):
    status: MembershipStatus | None = None


class PartyMembershipIn(Schema):
    code: str = Field(..., min_length=10, max_length=200, description="The branch's 归队 code")
    status: PartyStatus
    home_branch: str = Field(
        "", max_length=200, description="Where the membership is registered; empty when nowhere"
    )
    is_mobile: bool = Field(False, description="Mobile party member (流动党员)")


class PartyMembershipOut(Schema):
    id: int
    user: UserRef
    branch: OrganisationRef
    status: str
    status_label: str
    home_branch: str
    is_mobile: bool
    state: str
    state_label: str
    declared_at: datetime
    decided_at: datetime | None


class PartyMembershipFilters(Schema):
    state: PartyState | None = None
    branch_id: int | None = None


class StationBranchesOut(Schema):
    station_id: int
    station_name: str
    branches: int


class PartyStatsOut(Schema):
    members_identified: int = Field(description="Confirmed declarations (党员身份识别)")
    mobile_members_reregistered: int = Field(description="Confirmed mobile members (流动党员)")
    pending: int
    by_status: dict[str, int]
    branches: int
    branches_with_station: int
    branches_per_station: list[StationBranchesOut]


class PartyStatsFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3}){0,2}$")
