"""The kinds of notification and their text. Apps register their kinds in `AppConfig.ready()`
with lazily translated templates using `{name}` placeholders filled from the notification's
`params`; a kind nobody registered still shows, by its name."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise

from dandelion.core.i18n import is_english


@dataclass(frozen=True)
class Kind:
    name: str
    title: str | Promise
    body: str | Promise = ""
    # Channels beyond the inbox this kind may go out on, if the site enables them.
    channels: tuple[str, ...] = ("sms", "wechat")
    # A recommendation (为我推荐: a task or wish matched to the person), which each person may
    # switch off in their settings; other kinds (their own affairs) always arrive.
    optional: bool = False
    # What the settings page calls it; by default the title without its placeholders.
    label: str | Promise = ""

    @property
    def label_text(self) -> str:
        if self.label:
            return str(self.label)
        text = _PLACEHOLDER.sub("", str(self.title))
        return text.strip().rstrip(":：·,， ")


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    title: str | Promise,
    body: str | Promise = "",
    channels: tuple[str, ...] = ("sms", "wechat"),
    optional: bool = False,
    label: str | Promise = "",
) -> None:
    _kinds[name] = Kind(
        name=name, title=title, body=body, channels=channels, optional=optional, label=label
    )


def kind_get(name: str) -> Kind | None:
    return _kinds.get(name)


def optional_kinds() -> list[Kind]:
    """The kinds a person may switch off (recommendations), in a stable order."""
    return sorted((k for k in _kinds.values() if k.optional), key=lambda k: k.name)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def localized_params(params: dict | None) -> dict:
    """`params` for the active language: a value stored in both languages (`category` and
    `category_en`, e.g. a report category's name) gives its English text to an English reader
    when there is one; rows without an `_en` twin (and Chinese readers) keep the stored value."""
    params = params or {}
    english = is_english()
    values = {}
    for key, value in params.items():
        if key.endswith("_en") and key[:-3] in params:
            continue
        twin = params.get(f"{key}_en")
        values[key] = twin if english and twin else value
    return values


def render(name: str, params: dict) -> tuple[str, str]:
    """(title, body) of a notification in the active language."""
    kind = _kinds.get(name)
    if kind is None:
        return name, ""
    values = _Missing({k: "" if v is None else v for k, v in localized_params(params).items()})
    return str(kind.title).format_map(values), str(kind.body).format_map(values)
