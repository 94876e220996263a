"""The volunteering API: activities near me and for organisers (`activities`), sign-up and
cancel (`signups`), attendance and hours (`attendance`, `hours`), station visits (`visits`)."""

from ninja import Router

from . import activities, attendance, hours, signups, visits

router = Router(tags=["volunteering"])
for module in (activities, signups, attendance, hours, visits):
    router.add_router("", module.router)

__all__ = ["router"]
