"""The JSON API at /api/v1/: one NinjaAPI that mounts every app's router."""

from ninja import NinjaAPI

from dandelion.accounts.api import router as accounts_router
from dandelion.accounts.auth import api_auth
from dandelion.core.api import install_problem_handlers
from dandelion.orgs.api import router as orgs_router
from dandelion.stations.api import router as stations_router

api = NinjaAPI(
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
api.add_router("/", stations_router)
api.add_router("/", accounts_router)
api.add_router("/", orgs_router)
