"""Deleting an account (PIPL art. 47): consent is withdrawn and the person is removed from every
record. Rows other people rely on (memberships a team counts, confirmations, audit events) stay,
pointing at an account with nothing personal left."""

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.audit import audit_record
from dandelion.core.errors import Conflict
from dandelion.core.permissions import grants_forget

from ..errors import AccountsError
from ..hooks import anonymisers
from ..models import ApiToken, PhoneCode, RoleAssignment, User, WorkerProfile
from .roles import role_revoke

ANONYMOUS_NAME = "已注销用户"


@transaction.atomic
def account_anonymise(*, user: User, actor=None, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if user.is_superuser:
        raise Conflict(_("超级管理员账号不能在这里注销。"), code=AccountsError.SUPERUSER)
    if user.anonymised_at is not None:
        raise Conflict(_("该账号已经注销。"), code=AccountsError.ALREADY_DELETED)
    actor = actor or user
    for assignment in RoleAssignment.objects.filter(user=user).select_related(
        "region", "organisation__region", "station__region"
    ):
        role_revoke(assignment=assignment, actor=actor)
    for anonymiser in anonymisers():
        anonymiser(user, actor, now)
    profile = WorkerProfile.objects.filter(user=user).first()
    if profile is not None:
        profile.real_name = ""
        profile.skills = []
        profile.is_volunteer = False
        profile.consent_withdrawn_at = now
        profile.updated_at = now
        profile.save()
    if user.phone:
        PhoneCode.objects.filter(phone=user.phone).delete()
    ApiToken.objects.filter(user=user).delete()
    user.username = f"deleted-{uuid.uuid4().hex[:12]}"
    user.phone = None
    user.display_name = ANONYMOUS_NAME
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.anonymised_at = now
    user.save()
    audit_record(
        actor=actor,
        action="account.anonymise",
        subject=user,
        target=user,
        region_code=profile.work_region.code if profile is not None else "",
    )
    grants_forget(user)
