"""The tags a worker may add to a rating. A tag is stored as its Chinese name (the API takes
and gives it so); pages show it in the reader's language."""

from django.utils.translation import pgettext_lazy

RATING_TAGS = {
    "响应及时": pgettext_lazy("rating tag", "响应及时"),
    "态度热情": pgettext_lazy("rating tag", "态度热情"),
    "办事专业": pgettext_lazy("rating tag", "办事专业"),
    "问题解决": pgettext_lazy("rating tag", "问题解决"),
    "还需改进": pgettext_lazy("rating tag", "还需改进"),
}


def rating_tag_label(tag: str) -> str:
    """A tag in the reader's language when it is a known one; otherwise as stored."""
    label = RATING_TAGS.get(tag)
    return str(label) if label is not None else tag


def rating_tag_choices() -> list[tuple[str, str]]:
    """(stored value, label) of each tag, in order."""
    return [(tag, str(label)) for tag, label in RATING_TAGS.items()]
