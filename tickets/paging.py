"""Pages of tickets whose count stops early: the queue's and the ticket lists' paginator."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from tickets.models import Ticket

COUNT_UP_TO = 1_000  # a longer list is counted as "more than 1,000"
# A search is counted only this far past the first ticket of the page read: "more than 100".
SEARCH_COUNT_AHEAD = 100


def count_limit(*, searching: bool, page: object, per_page: int, up_to: int) -> int:
    """Where the count of a list stops: at `up_to`, or for a search at SEARCH_COUNT_AHEAD
    tickets past the start of the page asked for (so every page up to it stays reachable,
    and the count grows with the depth read, as the page's own OFFSET does).

    A common word in a large organization made the count to 1,000 the heaviest part of the
    page (issue 14): to find 1,001 matches PostgreSQL either walked the list's order and
    checked some 6,000 tickets' words, or built a bitmap of every match in the full-text
    index (300,000 for a word in 30 % of a million), about 50 and 100-250 ms on the bench.
    Up to 100 the walk stops after some 600 tickets, and the planner prefers it.
    """
    if not searching:
        return up_to
    try:
        number = max(int(str(page)), 1)
    except ValueError:
        number = 1
    return min(up_to, (number - 1) * per_page + SEARCH_COUNT_AHEAD)


class CappedPaginator(Paginator):
    """Django's paginator over a page's rows, counting the tickets they come from (`counted`),
    at most `count_up_to` + 1 of them when given a limit.

    Counting every open ticket reads the whole of `ticket_queue`: about 20 ms for 150,000 on
    the bench, then the largest part of the queue page's time (10,000 still took 4 ms), and
    counting a million tickets for the all-tickets list took longer still. Counted up to
    COUNT_UP_TO + 1 the walk stops at once and the page says "more than 1,000": all a reader
    needs of a list that long, who reads its top and narrows it with a filter or a search.
    Pages past the 1,000th ticket are not offered.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        counted: QuerySet[Ticket],
        count_up_to: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.counted = counted
        self.count_up_to = count_up_to

    @cached_property
    def count(self) -> int:
        # Only the ids, without ORDER BY: the planner counts from the cheapest index, and no
        # column or join of the rows is read for nothing.
        ids = self.counted.order_by().values("pk")
        if self.count_up_to is None:
            return ids.count()
        return ids[: self.count_up_to + 1].count()

    def page(self, number: Any) -> Page:
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page  # a full page: more tickets follow the count
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @property
    def capped(self) -> bool:
        return self.count_up_to is not None and self.count > self.count_up_to

    @property
    def pages_at_least(self) -> int:
        """The number of pages shown: all of them, or those the counted tickets fill."""
        return self.num_pages - 1 if self.capped else self.num_pages
