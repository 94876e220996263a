def feed(request, **kwargs):
    raise NotImplementedError


def feed_fragment(request, **kwargs):
    raise NotImplementedError


def activity_detail(request, **kwargs):
    raise NotImplementedError


def signup_view(request, **kwargs):
    raise NotImplementedError


def signup_cancel_view(request, **kwargs):
    raise NotImplementedError


def attend_view(request, **kwargs):
    raise NotImplementedError


def organiser_code(request, **kwargs):
    raise NotImplementedError


def my_signups(request, **kwargs):
    raise NotImplementedError


def my_hours(request, **kwargs):
    raise NotImplementedError


def certificate(request, **kwargs):
    raise NotImplementedError


def station_checkin(request, **kwargs):
    raise NotImplementedError
