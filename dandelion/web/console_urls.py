from django.urls import path

from . import console

app_name = "console"

urlpatterns = [
    path("", console.console_home, name="home"),
    path("login/", console.ConsoleLoginView.as_view(), name="login"),
    path("logout/", console.ConsoleLogoutView.as_view(), name="logout"),
    path("inbox/", console.console_inbox, name="inbox"),
    path("inbox/read-all/", console.console_inbox_read_all, name="inbox_read_all"),
]
