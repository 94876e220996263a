"""What the needs app does when events arrive (subscribed in `apps.py`)."""

from django.urls import reverse

from dandelion.notifications.services import recommendation_send

from .events import WishPublished


def wish_recommend(event: WishPublished) -> None:
    """Tell the volunteers working in the wish's district (为我推荐), except the wisher; once
    per person and wish however often the event is delivered."""
    recommendation_send(
        kind="recommend.wish",
        region_code=event.region_code,
        exclude_ids=[event.worker_id],
        params={"title": event.title, "region": event.region_name},
        url=reverse("needs:wish", args=[event.wish_id]),
    )
