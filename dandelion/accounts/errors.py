"""Errors of sign-in and accounts that the core error classes do not already say."""

from dandelion.core.errors import ApplicationError


class ServiceUnavailable(ApplicationError):
    """A service we depend on (the SMS gateway) failed; trying again later may work."""

    status = 503
    default_code = "service_unavailable"
    title = "Service unavailable"
