from django import template
from django.urls import reverse

from dandelion.core.console import sections_for
from dandelion.core.h5 import me_links, service_entries

register = template.Library()


@register.simple_tag(takes_context=True)
def console_sections(context):
    """The console sections the signed-in person may use, each with its URL and whether the
    current page is inside it."""
    request = context["request"]
    rows = []
    for section in sections_for(request.user):
        url = reverse(section.url_name)
        rows.append(
            {
                "key": section.key,
                "label": section.label,
                "url": url,
                "current": request.path.startswith(url),
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def h5_links(context, which: str):
    """The H5 rows apps registered: `which` is "services" (the hub's tiles) or "me"."""
    user = context["request"].user
    links = service_entries() if which == "services" else me_links()
    return [
        {
            "key": link.key,
            "label": link.label,
            "url": reverse(link.url_name),
            "icon": link.icon,
            "description": link.description,
            "badge": link.badge(user) if link.badge and user.is_authenticated else None,
        }
        for link in links
    ]
