"""Paging for every list endpoint: `?page=&page_size=` in, `{count, items}` out."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# No list holds a million pages; beyond that the database could not even compute the offset
# (a 64-bit overflow is a server error on both databases), so it is refused as bad input.
MAX_PAGE = 1_000_000


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    page_size: int | None = Field(
        None, ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}"
    )


class Paged(PageNumberPagination):
    Input = PageIn

    def __init__(self, **kwargs):
        kwargs.setdefault("page_size", DEFAULT_PAGE_SIZE)
        kwargs.setdefault("max_page_size", MAX_PAGE_SIZE)
        super().__init__(**kwargs)


class SerialisedPage:
    """Wraps a queryset for `@paginate(Paged)`: the paginator counts and slices the rows, then
    only the sliced rows go through `serialise`, and `after_page` (e.g. an audit of what was
    shown) sees exactly them."""

    def __init__(
        self,
        queryset: QuerySet,
        serialise: Callable[[Any], dict],
        after_page: Callable[[list[Any]], None] | None = None,
    ):
        self.queryset, self.serialise, self.after_page = queryset, serialise, after_page

    def all(self) -> QuerySet:
        return self.queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict]:
        rows = list(self.queryset[item])
        if self.after_page is not None:
            self.after_page(rows)
        return [self.serialise(row) for row in rows]
