"""The HSDS 3.1 API at /hsds/: its own NinjaAPI (public, read-only), mounted in config.urls."""

from dandelion.core.api import DandelionAPI, install_problem_handlers

from .directory import router

api = DandelionAPI(
    title="Dandelion HSDS API",
    version="3.1",
    description=(
        "蒲公英's station network and service menu as an Open Referral HSDS 3.1 directory, "
        "with the `dandelion-cn` profile (`/hsds/profile`). Public and read-only. Ids are "
        "stable UUIDs. Errors are RFC 7807 `application/problem+json` with a stable `code`."
    ),
    urls_namespace="hsds",
    docs_url="/docs",
    auth=None,
)
install_problem_handlers(api)
api.add_router("/", router)
