"""Problems and consultations (会商): dispatchers group recurring needs into a problem (e.g.
"riders refused entry to residential compounds"), hold consultations with several departments,
and track each problem to solved or not solved. "Problems raised / solved" per period and region
are counted from these rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.models import TransitionEvent


class Problem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("跟进中")
        SOLVED = "solved", _("已解决")
        UNSOLVED = "unsolved", _("未解决")

    title = models.CharField(_("会商问题"), max_length=120)
    description = models.TextField(_("说明"), max_length=4000, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    city_code = models.CharField(_("所属市代码"), max_length=6, db_index=True, editable=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    needs = models.ManyToManyField(
        "needs.Need", verbose_name=_("相关诉求"), blank=True, related_name="problems"
    )
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结论时间"), null=True, blank=True)
    outcome = models.TextField(_("结论"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会商问题")
        verbose_name_plural = _("会商问题")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state__in=["solved", "unsolved"], closed_at__isnull=False),
                name="problem_closed_when_decided",
            )
        ]
        indexes = [models.Index(fields=["city_code", "raised_at"], name="problem_city_raised")]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """One meeting about a problem: when, which departments, who attended, what was decided and
    which department owns the follow-up."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField(_("会商日期"))
    departments = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("参会部门"), related_name="consultations"
    )
    attendees = models.TextField(_("参会人员"), max_length=1000, blank=True)
    decisions = models.TextField(_("会商决定"), max_length=4000)
    owner = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("牵头落实部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_consultations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会商")
        verbose_name_plural = _("会商")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.problem} · {self.held_on}"


class ProblemEvent(TransitionEvent):
    """A step of a problem's life (append-only): each consultation and the conclusion."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("会商问题记录")
        verbose_name_plural = _("会商问题记录")

    def __str__(self) -> str:
        return f"#{self.problem_id} {self.action}: {self.from_state} → {self.to_state}"
