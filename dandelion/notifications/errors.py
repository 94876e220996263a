"""The notifications app's error codes. "No such notification" (or one that is someone else's)
is `CoreError.NOT_FOUND` with `extra={"entity": "notification"}`."""

from dandelion.core.errors import ErrorCode


class NotificationsError(ErrorCode):
    """Codes only the inbox and its channels raise."""

    # Only recommendations (optional kinds) can be switched off.
    NOT_OPTIONAL = "notification_kind_not_optional"
