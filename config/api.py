"""The JSON API at /api/v1/: one NinjaAPI that mounts every app's router."""

from dandelion.accounts.api import router as accounts_router
from dandelion.accounts.auth import api_auth
from dandelion.catalog.api import router as catalog_router
from dandelion.core.api import DandelionAPI, install_problem_handlers
from dandelion.coverage.api import router as coverage_router
from dandelion.figures.api import router as figures_router
from dandelion.needs.api import router as needs_router
from dandelion.notifications.api import router as notifications_router
from dandelion.orgs.api import router as orgs_router
from dandelion.points.api import router as points_router
from dandelion.regions.api import router as regions_router
from dandelion.reports.api import router as reports_router
from dandelion.standards.api import router as standards_router
from dandelion.stations.api import router as stations_router
from dandelion.volunteering.api import router as volunteering_router

api = DandelionAPI(
    title="Dandelion API",
    version="1.0.0",
    description=(
        "蒲公英 — the open platform for gig workers' warm stations. Errors are RFC 7807 "
        "`application/problem+json` with a stable `code`. Coordinates are WGS-84 unless a "
        "`coord` parameter says otherwise."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    # Operations without their own `auth=` need a signed-in caller: a bearer token (API clients)
    # or the session cookie with its CSRF token (the H5 and the staff console).
    auth=api_auth,
)
install_problem_handlers(api)
api.add_router("/", regions_router)
api.add_router("/", stations_router)
api.add_router("/", accounts_router)
api.add_router("/", orgs_router)
api.add_router("/", notifications_router)
api.add_router("/", catalog_router)
api.add_router("/", needs_router)
api.add_router("/", reports_router)
api.add_router("/", volunteering_router)
api.add_router("/", points_router)
api.add_router("/", standards_router)
api.add_router("/", coverage_router)
api.add_router("/", figures_router)
