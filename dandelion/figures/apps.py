from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """Programme figures (工作数据): roll-ups kept from the domain events, the figures API,
    the dashboard, exports, the monthly brief and open data."""

    name = "dandelion.figures"
    label = "figures"
    verbose_name = _("工作数据")

    def ready(self) -> None:
        from dandelion.accounts.events import WorkerProfileChanged, WorkerRegistered
        from dandelion.core.console import register_section
        from dandelion.core.events import subscribe
        from dandelion.core.periodic import register_periodic
        from dandelion.core.permissions import can
        from dandelion.needs.events import (
            NeedRated,
            NeedResolved,
            NeedSubmitted,
            ProblemClosed,
            ProblemRaised,
            WishFulfilled,
            WishPosted,
        )
        from dandelion.orgs.events import OrganisationChanged, PartyMembershipChanged
        from dandelion.points.events import RedemptionCancelled, RedemptionIssued
        from dandelion.reports.events import ReportAccepted, ReportChanged
        from dandelion.stations.events import (
            PartnerChanged,
            ServiceLogged,
            StarsChanged,
            StationChanged,
            VisitRecorded,
        )
        from dandelion.volunteering.events import (
            ActivityCancelled,
            ActivityFinished,
            ActivityPublished,
            HoursConfirmed,
        )

        from . import permissions, services

        permissions.register()
        subscribe(VisitRecorded, services.on_visit_recorded)
        subscribe(NeedSubmitted, services.on_need_submitted)
        subscribe(NeedResolved, services.on_need_resolved)
        subscribe(NeedRated, services.on_need_rated)
        subscribe(ReportAccepted, services.on_report_accepted)
        subscribe(ReportChanged, services.on_report_changed)
        subscribe(HoursConfirmed, services.on_hours_confirmed)
        subscribe(StarsChanged, services.on_stars_changed)
        subscribe(ServiceLogged, services.on_service_logged)
        subscribe(StationChanged, services.on_station_changed)
        subscribe(PartnerChanged, services.on_partner_changed)
        subscribe(WorkerRegistered, services.on_worker_registered)
        subscribe(WorkerProfileChanged, services.on_worker_profile_changed)
        subscribe(OrganisationChanged, services.on_organisation_changed)
        subscribe(PartyMembershipChanged, services.on_party_membership_changed)
        subscribe(WishPosted, services.on_wish_posted)
        subscribe(WishFulfilled, services.on_wish_fulfilled)
        subscribe(ProblemRaised, services.on_problem_raised)
        subscribe(ProblemClosed, services.on_problem_closed)
        subscribe(ActivityPublished, services.on_activity_changed)
        subscribe(ActivityCancelled, services.on_activity_changed)
        subscribe(ActivityFinished, services.on_activity_changed)
        subscribe(RedemptionIssued, services.on_redemption_issued)
        subscribe(RedemptionCancelled, services.on_redemption_cancelled)
        register_periodic(
            "figures.sweep", every_seconds=services.SWEEP_SECONDS, run=services.figures_sweep
        )
        # The dashboard is the region admin's and auditor's home: first in their console.
        register_section(
            "figures",
            label=_("工作数据"),
            url_name="figures_console:dashboard",
            visible=lambda user: can(user, "figures.view"),
            order=1,
        )
