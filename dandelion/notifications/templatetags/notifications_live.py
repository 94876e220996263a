import time

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def live_stream_url() -> str:
    """The page's stream URL, starting from when the page was rendered: a notification that
    arrives while the page loads is pushed, not lost. (A time, not the newest id, so rendering a
    page costs no query.)"""
    return f"{reverse('notifications:stream')}?since={time.time():.3f}"
