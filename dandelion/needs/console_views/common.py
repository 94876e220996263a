"""What the console pages of needs and problems share."""

from .. import selectors

PAGE_SIZE = 30


def page_required(user, action: str) -> None:
    """A page for the holders of `action` only: the selector decides (its refusal is the 403
    page, `core.middleware.RefusalPagesMiddleware`)."""
    selectors.page_allowed(actor=user, action=action)


def query_without_page(request) -> str:
    """The page's filters as a query string, for the pager to carry to the next page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
