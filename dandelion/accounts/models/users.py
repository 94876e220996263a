from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who signs in: workers by phone, staff by username and password.

    The custom model exists from the first migration so that later fields (profile, consent)
    never need a swap.
    """

    phone = models.CharField(_("手机号"), max_length=20, null=True, blank=True)
    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)
    # Set when the person deleted their account: the row stays for the records others rely on
    # (memberships, confirmations, audit events), with nothing left that identifies them.
    anonymised_at = models.DateTimeField(_("注销时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone__isnull=False), name="user_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username
