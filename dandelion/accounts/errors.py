"""The error codes of accounts: sign-in, registration (报到) and the profile, people and roles.

The sign-in codes are stable strings API clients and the H5 rely on (`otp_invalid`, …). A
refused one-time code is always `otp_invalid`, whatever the reason (wrong, never requested,
used, expired, too many wrong tries), so the answer never tells whether a code is pending for
a phone. A missing field is `CoreError.REQUIRED`; a region or person that is not there is
`CoreError.NOT_FOUND` with `extra={"entity": …}`.
"""

from dandelion.core.errors import ErrorCode


class AccountsError(ErrorCode):
    # Signing in
    INVALID_PHONE = "invalid_phone"
    OTP_INVALID = "otp_invalid"
    OTP_PHONE_RATE_LIMITED = "otp_phone_rate_limited"
    OTP_ADDRESS_RATE_LIMITED = "otp_address_rate_limited"
    SMS_UNAVAILABLE = "sms_unavailable"
    ACCOUNT_DISABLED = "account_disabled"
    LOGIN_LOCKED = "login_locked"
    CSRF_FAILED = "csrf_failed"
    # Registration (报到) and the profile
    ALREADY_REGISTERED = "already_registered"
    REGISTRATION_REQUIRED = "registration_required"
    UNKNOWN_FIELDS = "unknown_fields"
    INVALID_CHOICE = "invalid_choice"
    NOT_STREET = "not_street"
    INVALID_SKILLS = "invalid_skills"
    CONSENT_REQUIRED = "consent_required"
    # People and roles
    SUPERUSER = "superuser"
    ALREADY_DELETED = "already_deleted"
    INVALID_SCOPE = "invalid_scope"
    USER_INACTIVE = "user_inactive"
    ROLE_EXISTS = "role_exists"
