"""The error codes of orgs: organisations, join and return-to-team codes, memberships and party
membership. Illegal moves of a membership or declaration are `CoreError.ILLEGAL_TRANSITION`
(raised by `core.workflow`); a row that is not there is `CoreError.NOT_FOUND` with
`extra={"entity": …}`."""

from dandelion.core.errors import ErrorCode


class OrgsError(ErrorCode):
    # The organisation tree
    UNKNOWN_FIELDS = "unknown_fields"
    ORGANISATION_CYCLE = "organisation_cycle"
    ORGANISATION_INACTIVE = "organisation_inactive"
    # Join and return-to-team codes
    NO_CODE_FOR_KIND = "no_code_for_kind"
    CODE_INVALID = "code_invalid"
    CODE_EXPIRED = "code_expired"
    CODE_REVOKED = "code_revoked"
    WRONG_CODE_PURPOSE = "wrong_code_purpose"
    # Memberships and party membership
    INVALID_CHOICE = "invalid_choice"
    ALREADY_MEMBER = "already_member"
    NOT_PARTY_BRANCH = "not_party_branch"
    ALREADY_DECLARED = "already_declared"
