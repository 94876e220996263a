"""The notifications app's error codes. It has none of its own yet: "no such notification" (or
one that is someone else's) is `CoreError.NOT_FOUND` with `extra={"entity": "notification"}`."""

from dandelion.core.errors import ErrorCode


class NotificationsError(ErrorCode):
    """Codes only the inbox and its channels raise (none so far)."""
