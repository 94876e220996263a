"""The needs app's worker pages (H5): the menu, ordering, my needs, the wish wall."""

from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("needs/", views.menu, name="menu"),
    path("needs/new/", views.need_new, name="new"),
    path("needs/mine/", views.my_needs, name="mine"),
    path("needs/<int:need_id>/", views.need_detail, name="detail"),
    path("needs/<int:need_id>/<str:action>/", views.need_action, name="action"),
    path("wishes/", views.wall, name="wall"),
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/mine/", views.my_wishes, name="my_wishes"),
    path("wishes/<int:wish_id>/", views.wish_detail, name="wish"),
    path("wishes/<int:wish_id>/<str:action>/", views.wish_action, name="wish_action"),
]
