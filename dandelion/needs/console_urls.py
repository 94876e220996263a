"""The needs app's staff console pages, under /console/needs/."""

from django.urls import path

from . import console_views as views

app_name = "needs_console"

urlpatterns = [
    path("", views.dispatch_queue, name="dispatch_queue"),
    path("department/", views.department_queue, name="department_queue"),
    path("all/", views.all_needs, name="all"),
    path("overdue/", views.overdue, name="overdue"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/close/", views.review_close, name="review_close"),
    path("wishes/", views.wish_reviews, name="wish_reviews"),
    path("wishes/<int:wish_id>/review/", views.wish_review, name="wish_review"),
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem"),
    path("<int:need_id>/", views.need_detail, name="detail"),
    path("<int:need_id>/contact/", views.need_contact, name="contact"),
    path("<int:need_id>/<str:action>/", views.need_action, name="action"),
]
