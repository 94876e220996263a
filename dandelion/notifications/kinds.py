"""The kinds of notification and their text. Apps register their kinds in `AppConfig.ready()`
with lazily translated templates using `{name}` placeholders filled from the notification's
`params`; a kind nobody registered still shows, by its name."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    name: str
    title: str | Promise
    body: str | Promise = ""
    # Channels beyond the inbox this kind may go out on, if the site enables them.
    channels: tuple[str, ...] = ("sms", "wechat")


_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    title: str | Promise,
    body: str | Promise = "",
    channels: tuple[str, ...] = ("sms", "wechat"),
) -> None:
    _kinds[name] = Kind(name=name, title=title, body=body, channels=channels)


def kind_get(name: str) -> Kind | None:
    return _kinds.get(name)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(name: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification in the active language."""
    kind = _kinds.get(name)
    if kind is None:
        return name, ""
    values = _Missing({k: "" if v is None else v for k, v in (params or {}).items()})
    return str(kind.title).format_map(values), str(kind.body).format_map(values)
