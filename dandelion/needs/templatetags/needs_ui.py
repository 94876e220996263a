from django import template
from django.utils.translation import pgettext_lazy

from dandelion.needs.rating_tags import rating_tag_label

register = template.Library()


@register.filter
def rating_tag(value: str) -> str:
    """A rating tag in the reader's language."""
    return rating_tag_label(value)


@register.filter
def rating_tags(values) -> str:
    """Rating tags as one line in the reader's language ("响应及时、态度热情")."""
    return str(pgettext_lazy("list separator", "、")).join(
        rating_tag_label(v) for v in values or ()
    )
