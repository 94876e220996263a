"""The points app's staff console pages, under /console/points/."""

from django.urls import path

from . import console

app_name = "points_console"

urlpatterns = [
    path("fulfil/", console.fulfil, name="fulfil"),
    path("rewards/", console.rewards, name="rewards"),
    path("rewards/new/", console.reward_new, name="reward_new"),
    path("rewards/<int:reward_id>/", console.reward_edit, name="reward_edit"),
]
