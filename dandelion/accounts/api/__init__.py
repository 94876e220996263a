"""The accounts API: sign-in, the signed-in person, people, roles and the audit log."""

from ninja import Router

from . import audit, auth, me, roles, users

router = Router()
for module in (auth, me, users, roles, audit):
    router.add_router("", module.router)

__all__ = ["router"]
