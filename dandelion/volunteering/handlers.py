"""What the volunteering app does when events arrive (subscribed in `apps.py`)."""

from .events import ActivityPublished
from .models import Activity
from .services import activity_recommendation_send


def activity_recommend(event: ActivityPublished) -> None:
    """Tell the volunteers a newly published activity suits (为我推荐): volunteers working in
    its district, with a wanted skill when it names any, or the team's members for a team-only
    one; once per person and activity however often the event is delivered. An activity no
    longer open (cancelled before the event arrived) is recommended to nobody."""
    activity = (
        Activity.objects.select_related("organisation", "region")
        .filter(pk=event.activity_id, status=Activity.Status.PUBLISHED)
        .first()
    )
    if activity is not None:
        activity_recommendation_send(activity)
