"""Writes of reports: submit, support ("me too"), route, move through the status table, merge
duplicates, the reporter's confirm/reopen, the clock's closing of confirmed fixes, API keys,
a person's data and configuration. One module per seam; every name is re-exported here."""

from .api_keys import API_KEY_PREFIX, api_key_authenticate, api_key_issue, api_key_revoke
from .common import MAX_NOTE
from .configuration import category_upsert, routing_rule_set
from .moving import (
    report_confirm_fixed,
    report_mark_duplicate,
    report_reopen,
    report_status_change,
    reports_close_confirmed,
)
from .people import person_anonymise, reports_export
from .routing import report_route
from .submitting import MAX_ADDRESS, MAX_DESCRIPTION, report_create
from .support import report_support

__all__ = [
    "API_KEY_PREFIX",
    "MAX_ADDRESS",
    "MAX_DESCRIPTION",
    "MAX_NOTE",
    "api_key_authenticate",
    "api_key_issue",
    "api_key_revoke",
    "category_upsert",
    "person_anonymise",
    "report_confirm_fixed",
    "report_create",
    "report_mark_duplicate",
    "report_reopen",
    "report_route",
    "report_status_change",
    "report_support",
    "reports_close_confirmed",
    "reports_export",
    "routing_rule_set",
]
