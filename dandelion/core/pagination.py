"""Paging for every list endpoint: `?page=&page_size=` in, `{count, items}` out."""

from ninja.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Paged(PageNumberPagination):
    def __init__(self, **kwargs):
        kwargs.setdefault("page_size", DEFAULT_PAGE_SIZE)
        kwargs.setdefault("max_page_size", MAX_PAGE_SIZE)
        super().__init__(**kwargs)
