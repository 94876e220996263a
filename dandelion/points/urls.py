"""The points app's worker pages (H5): my points, the rewards shop, my redemption codes."""

from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("points/", views.my_points, name="mine"),
    path("rewards/", views.shop, name="shop"),
    path("rewards/<int:reward_id>/", views.reward_detail, name="reward"),
    path("rewards/<int:reward_id>/redeem/", views.reward_redeem_view, name="redeem"),
    path("rewards/codes/", views.my_redemptions, name="redemptions"),
    path("rewards/codes/<str:code>/", views.redemption_detail, name="redemption"),
    path("rewards/codes/<str:code>/cancel/", views.redemption_cancel_view, name="cancel"),
]
