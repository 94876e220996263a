def activity_list(request, **kwargs):
    raise NotImplementedError


def activity_new(request, **kwargs):
    raise NotImplementedError


def hours_summary(request, **kwargs):
    raise NotImplementedError


def activity_detail(request, **kwargs):
    raise NotImplementedError


def activity_edit(request, **kwargs):
    raise NotImplementedError


def activity_state(request, **kwargs):
    raise NotImplementedError


def activity_code_svg(request, **kwargs):
    raise NotImplementedError


def attendance_record_view(request, **kwargs):
    raise NotImplementedError


def attendance_confirm_view(request, **kwargs):
    raise NotImplementedError
