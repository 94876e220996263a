def fulfil(request, **kwargs):
    raise NotImplementedError


def rewards(request, **kwargs):
    raise NotImplementedError


def reward_new(request, **kwargs):
    raise NotImplementedError


def reward_edit(request, **kwargs):
    raise NotImplementedError
