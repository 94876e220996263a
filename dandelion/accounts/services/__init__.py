"""All writes of accounts: sign-in, profiles, roles, deletion."""

from .anonymise import account_anonymise
from .profiles import worker_check_in, worker_profile_update
from .roles import role_assign, role_revoke
from .sign_in import (
    OtpSent,
    otp_request,
    otp_verify,
    sign_in_data_purge,
    token_authenticate,
    token_issue,
    token_revoke,
)

__all__ = [
    "OtpSent",
    "account_anonymise",
    "otp_request",
    "otp_verify",
    "role_assign",
    "role_revoke",
    "sign_in_data_purge",
    "token_authenticate",
    "token_issue",
    "token_revoke",
    "worker_check_in",
    "worker_profile_update",
]
