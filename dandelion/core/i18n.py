"""Words in the reader's language for data that carries both (`name`, `name_en`)."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(zh: str, en: str) -> str:
    """The English text for an English reader when there is one; otherwise the Chinese, which
    every row has."""
    return en if en and is_english() else zh
