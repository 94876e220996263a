"""All writes of accounts: sign-in, profiles, roles, deletion."""

from ..hooks import register_anonymiser, register_export_section
from ..sms import SmsDeliveryError, SmsMessage, sms_send
from .anonymise import account_anonymise
from .profiles import worker_profile_update, worker_register
from .roles import role_assign, role_revoke, role_scope_invalid
from .sign_in import (
    SESSION_BACKEND,
    OtpSent,
    otp_request,
    otp_verify,
    placeholder_display_name,
    sign_in_data_purge,
    token_authenticate,
    token_issue,
    token_revoke,
)

__all__ = [
    "SESSION_BACKEND",
    "OtpSent",
    "SmsDeliveryError",
    "SmsMessage",
    "account_anonymise",
    "otp_request",
    "otp_verify",
    "placeholder_display_name",
    "register_anonymiser",
    "register_export_section",
    "role_assign",
    "role_revoke",
    "role_scope_invalid",
    "sign_in_data_purge",
    "sms_send",
    "token_authenticate",
    "token_issue",
    "token_revoke",
    "worker_profile_update",
    "worker_register",
]
