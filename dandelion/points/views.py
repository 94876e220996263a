def my_points(request, **kwargs):
    raise NotImplementedError


def shop(request, **kwargs):
    raise NotImplementedError


def reward_detail(request, **kwargs):
    raise NotImplementedError


def reward_redeem_view(request, **kwargs):
    raise NotImplementedError


def my_redemptions(request, **kwargs):
    raise NotImplementedError


def redemption_detail(request, **kwargs):
    raise NotImplementedError


def redemption_cancel_view(request, **kwargs):
    raise NotImplementedError
