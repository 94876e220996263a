from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from dandelion.accounts.selectors import skill_label, skills_text
from dandelion.core.console import sections_for
from dandelion.core.h5 import me_links, service_entries
from dandelion.core.i18n import localized

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


@register.filter
def local_name(obj) -> str:
    """A row's `name` in the reader's language: its `name_en` for an English reader when it
    has one (a region, a category…)."""
    if obj is None:
        return ""
    return localized(obj.name, getattr(obj, "name_en", "") or "")


@register.filter
def skill(value: str) -> str:
    """A skill in the reader's language (a suggested one translated, a typed one as typed)."""
    return skill_label(value)


@register.filter
def skills(values) -> str:
    """A list of skills as one line in the reader's language."""
    return skills_text(values)


@register.filter
def distance(metres) -> str:
    """A distance in metres as people read it: "850 米" under a kilometre, "1.2 公里" above
    (one decimal), translated. Empty for an unknown distance."""
    if metres is None or metres == "":
        return ""
    metres = float(metres)
    if metres < 1000:
        return _("%(m)d 米") % {"m": round(metres)}
    return _("%(km).1f 公里") % {"km": metres / 1000}
