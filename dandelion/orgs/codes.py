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
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import Conflict, ErrorCode, InvalidInput, field_error
from dandelion.core.qr import absolute_url

from .errors import OrgsError
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
            _("党委没有入队码，请使用其党支部的归队码。"), code=OrgsError.NO_CODE_FOR_KIND
        )
    return JOIN


def code_make(*, organisation: Organisation) -> OrganisationCode:
    if not organisation.is_active:
        raise Conflict(_("该组织已停用。"), code=OrgsError.ORGANISATION_INACTIVE)
    purpose = code_purpose(organisation)
    value = f"{purpose}.{organisation.pk}.{organisation.code_version}"
    code = signing.TimestampSigner(salt=SALT).sign(value)
    return OrganisationCode(organisation, purpose, code, timezone.now() + _max_age())


def _invalid(message, code: ErrorCode) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[field_error("code", code, message)])


def code_read(code: str) -> tuple[str, Organisation]:
    """(purpose, organisation) of a valid code, or `InvalidInput` saying why not."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(code.strip(), max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise _invalid(
            _("二维码已过期，请联系负责人获取新的二维码。"), OrgsError.CODE_EXPIRED
        ) from exc
    except signing.BadSignature as exc:
        raise _invalid(_("二维码无效。"), OrgsError.CODE_INVALID) from exc
    try:
        purpose, org_id, version = value.split(".")
        org_id, version = int(org_id), int(version)
    except ValueError as exc:
        raise _invalid(_("二维码无效。"), OrgsError.CODE_INVALID) from exc
    organisation = Organisation.objects.select_related("region").filter(pk=org_id).first()
    if organisation is None or not organisation.is_active:
        raise _invalid(_("二维码无效：该组织已不再接收成员。"), OrgsError.CODE_INVALID)
    if version != organisation.code_version:
        raise _invalid(_("二维码已更新，请扫描新的二维码。"), OrgsError.CODE_REVOKED)
    return purpose, organisation


def code_url(code: str, request=None) -> str:
    return absolute_url(f"{JOIN_PAGE_PATH}?code={quote(code, safe='')}", request)
