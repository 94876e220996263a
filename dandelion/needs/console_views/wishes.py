"""The console's review of micro-wishes, where a region asks for it: the wishes waiting, oldest
first, each approved onto the wall or rejected with the reason its author is told."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dandelion.core.console import console_required
from dandelion.core.errors import ApplicationError, NotFound, PermissionDenied
from dandelion.core.forms import show_error

from .. import selectors, services
from .common import PAGE_SIZE, page_required, query_without_page


@console_required
def wish_reviews(request):
    page_required(request.user, "wish.moderate")
    page = Paginator(selectors.wishes_awaiting_review(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "needs/console/wish_reviews.html",
        {"page": page, "query": query_without_page(request)},
    )


@console_required
@require_POST
def wish_review(request, wish_id: int):
    decision = request.POST.get("decision")
    try:
        wish = selectors.wish_for_review(actor=request.user, wish_id=wish_id)
        if decision == "approve":
            services.wish_approve(wish=wish, actor=request.user)
            messages.success(request, _("心愿已通过审核，上墙展示"))
        elif decision == "reject":
            services.wish_reject(wish=wish, actor=request.user, reason=request.POST.get("reason"))
            messages.success(request, _("已退回心愿，许愿人会收到原因"))
        else:
            raise Http404
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except ApplicationError as exc:
        for message in show_error(exc).values():
            messages.error(request, message)
    return redirect("needs_console:wish_reviews")
