"""Organisations (组织), memberships and party members' return to the team (党员归队)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent


class Organisation(models.Model):
    """One node of the organisation tree: a party committee, an office, a volunteer team…

    `path` is the chain of ids from the root (`/1/5/12/`), kept by the services, so "this
    organisation and everything below it" is one prefix filter. A party branch may be linked to
    the station it is based at (branches per station is a programme figure).
    """

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("党委")
        PARTY_BRANCH = "party_branch", _("党支部")
        GOVERNMENT_DEPARTMENT = "government_department", _("政府部门")
        STREET_OFFICE = "street_office", _("街道办事处")
        COMMUNITY = "community", _("社区")
        PROPERTY_COMPANY = "property_company", _("物业公司")
        VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
        SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
        PLATFORM_COMPANY = "platform_company", _("平台企业")
        MERCHANT = "merchant", _("商户")

    PARTY_KINDS = frozenset({Kind.PARTY_COMMITTEE, Kind.PARTY_BRANCH})

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("所在驿站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # Raising the version invalidates every join code handed out before.
    code_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        indexes = [models.Index(fields=["city_code", "kind"], name="org_city_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party(self) -> bool:
        return self.kind in self.PARTY_KINDS


class Membership(models.Model):
    """A person in an organisation, with a role there. Joining by code starts `pending` until a
    leader approves or declines; rows are never deleted (leaving sets `left`)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("成员")
        LEADER = "leader", _("负责人")
        SECRETARY = "secretary", _("书记")
        HANDLER = "handler", _("经办人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACTIVE = "active", _("已加入")
        DECLINED = "declined", _("未通过")
        LEFT = "left", _("已退出")

    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("成员"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    requested_at = models.DateTimeField(_("申请时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("成员关系")
        verbose_name_plural = _("成员关系")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status__in=["pending", "active"]),
                name="membership_one_open_per_org",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="membership_org_status"),
            models.Index(fields=["user", "status"], name="membership_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_status_display()})"


class PartyMembership(models.Model):
    """A worker's declaration that they are a party member, made by scanning a branch's
    return-to-team code (归队), and the branch secretary's confirmation.

    Sensitive personal information (PIPL art. 28): visible only to the branch, the secretaries
    of its parent organisations and party-work officers of its region; every read is audited.
    """

    class Status(models.TextChoices):
        FULL = "full", _("正式党员")
        PROBATIONARY = "probationary", _("预备党员")
        ACTIVIST = "activist", _("入党积极分子")
        APPLICANT = "applicant", _("入党申请人")

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未通过")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="party_memberships",
    )
    branch = models.ForeignKey(
        Organisation,
        verbose_name=_("归队支部"),
        on_delete=models.PROTECT,
        related_name="party_memberships",
    )
    status = models.CharField(_("政治面貌"), max_length=16, choices=Status.choices)
    home_branch = models.CharField(
        _("组织关系所在党组织"),
        max_length=200,
        blank=True,
        help_text=_("Where the membership is registered; empty when nowhere."),
    )
    is_mobile = models.BooleanField(_("流动党员"), default=False)
    state = models.CharField(
        _("确认状态"), max_length=16, choices=State.choices, default=State.PENDING
    )
    declared_at = models.DateTimeField(_("申报时间"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("党员归队")
        verbose_name_plural = _("党员归队")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state__in=["pending", "confirmed"]),
                name="party_membership_one_open",
            ),
        ]
        indexes = [models.Index(fields=["branch", "state"], name="party_branch_state")]

    def __str__(self) -> str:
        return f"{self.user} → {self.branch} ({self.get_state_display()})"


class MembershipEvent(TransitionEvent):
    """One move of a membership (requested, added, approved, declined, left), append-only."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("成员关系"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("成员关系记录")
        verbose_name_plural = _("成员关系记录")
        indexes = [models.Index(fields=["membership", "created_at"], name="membership_event_time")]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.from_state or '·'} → {self.to_state}"


class PartyMembershipEvent(TransitionEvent):
    """One move of a return-to-team declaration (declared, confirmed, declined), append-only.
    Party membership is sensitive: the rows go with the declaration when an account is
    deleted."""

    party_membership = models.ForeignKey(
        PartyMembership,
        verbose_name=_("党员归队"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("党员归队记录")
        verbose_name_plural = _("党员归队记录")
        indexes = [models.Index(fields=["party_membership", "created_at"], name="party_event_time")]

    def __str__(self) -> str:
        return f"{self.party_membership_id} {self.from_state or '·'} → {self.to_state}"
