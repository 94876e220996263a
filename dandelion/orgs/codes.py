"""Join codes (入队码) and return-to-team codes (归队码): signed, expiring tokens shown as QR codes.

A code is `TimestampSigner`-signed `"<purpose>.<organisation id>.<code version>"`: nobody can forge
one, it expires after `ORG_CODE_MAX_AGE_DAYS`, and raising the organisation's code version
(rotating) invalidates every code handed out before. A party branch's code is a return-to-team
code; other organisations' codes are join codes; party committees have none.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.utils import timezone

from dandelion.core.errors import Conflict, InvalidInput
from dandelion.core.qr import absolute_url

from .models import Organisation

SALT = "dandelion.orgs.code"
JOIN = "join"
RETURN = "return"
# The H5 page a scanned code opens (built by the pages); it reads `code` from the query.
JOIN_PAGE_PATH = "/join/"


@dataclass(frozen=True)
class OrganisationCode:
    organisation: Organisation
    purpose: str
    code: str
    expires_at: datetime


def _max_age() -> timedelta:
    return timedelta(days=settings.ORG_CODE_MAX_AGE_DAYS)


def code_purpose(organisation: Organisation) -> str:
    if organisation.kind == Organisation.Kind.PARTY_BRANCH:
        return RETURN
    if organisation.kind == Organisation.Kind.PARTY_COMMITTEE:
        raise Conflict(
            "Party committees have no join code; their branches do.", code="no_code_for_kind"
        )
    return JOIN


def code_make(*, organisation: Organisation) -> OrganisationCode:
    if not organisation.is_active:
        raise Conflict("The organisation is inactive.", code="organisation_inactive")
    purpose = code_purpose(organisation)
    value = f"{purpose}.{organisation.pk}.{organisation.code_version}"
    code = signing.TimestampSigner(salt=SALT).sign(value)
    return OrganisationCode(organisation, purpose, code, timezone.now() + _max_age())


def _invalid(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[{"field": "code", "msg": message}])


def code_read(code: str) -> tuple[str, Organisation]:
    """(purpose, organisation) of a valid code, or `InvalidInput` saying why not."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(code.strip(), max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise _invalid("The code has expired; ask for a new one.", "code_expired") from exc
    except signing.BadSignature as exc:
        raise _invalid("This is not a valid code.", "code_invalid") from exc
    try:
        purpose, org_id, version = value.split(".")
        org_id, version = int(org_id), int(version)
    except ValueError as exc:
        raise _invalid("This is not a valid code.", "code_invalid") from exc
    organisation = Organisation.objects.select_related("region").filter(pk=org_id).first()
    if organisation is None or not organisation.is_active:
        raise _invalid("The organisation no longer takes members.", "code_invalid")
    if version != organisation.code_version:
        raise _invalid("This code was replaced by a newer one.", "code_revoked")
    return purpose, organisation


def code_url(code: str, request=None) -> str:
    return absolute_url(f"{JOIN_PAGE_PATH}?code={quote(code, safe='')}", request)
