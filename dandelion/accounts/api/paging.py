"""Paging a queryset while serialising only the page shown.

The same idea as stations.api's private `_SerialisedPage`; both belong in `core.pagination` once
its owner folds them together.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet


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
