"""The engineers' queue: open tickets in the order they breach (docs/architecture.md, deadlines).

The order is the ticket's `queue_due` (the nearest deadline the vendor still has to meet, kept
by tickets.deadlines), then its id; tickets on which the customer has the move have none and come
last. `ORDER BY queue_due ASC NULLS LAST, id` over the open states is exactly the partial index
`ticket_queue`, so PostgreSQL walks it and stops after one page.

Views (the `view` parameter), each over the open tickets:
- `open` (the default): every open ticket. It is the queue itself: what breaches first leads,
  taken or not, so nobody's overdue ticket hides behind another view; the unassigned ones are
  at the top anyway, as their reaction deadline is the nearest. It is also the view the index
  answers without a filter, so the page most engineers keep open is the cheapest one.
- `unassigned`: nobody holds it (in practice: registered, waiting to be taken);
- `mine`: held by the engineer looking at the queue;
- `waiting`: the customer has the move (awaiting customer, resolved);
- `disputed`: the customer refused the resolution;
- `breached`: the nearest deadline has passed (the urgency rule of workspace.urgency).

Search (`q`) is the ticket lists' search (tickets.search): number, license key, organization,
and the words of the subject and description (`ticket_open_search` holds the open tickets).

A page is two queries, a COUNT and the rows (queue_page); the count stops at COUNT_UP_TO.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.paginator import Page
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from tickets.models import WAITING_ON_CUSTOMER_STATES, State, Ticket
from tickets.paging import CappedPaginator, count_limit
from tickets.search import search_q
from tickets.selectors import tickets_visible_to
from workspace.urgency import breached_q, with_urgency

if TYPE_CHECKING:
    from accounts.models import User

QUEUE_ORDER = (F("queue_due").asc(nulls_last=True), "id")  # exactly the index ticket_queue
# The same order through an expression no index provides: PostgreSQL gathers the matches of a
# search from the full-text index first, then sorts them (9999-12-31 stands for "no deadline").
MATCHES_FIRST_ORDER = (
    Coalesce("queue_due", Value(datetime.datetime.max.replace(tzinfo=datetime.UTC))).asc(),
    "id",
)
COUNT_UP_TO = 1_000  # a longer queue (or view of it) is counted as "more than 1,000"

# The value of the `assignee` filter that means "nobody".
UNASSIGNED = "none"

VIEWS = {
    "open": _("All open"),
    "unassigned": _("Unassigned"),
    "mine": _("Mine"),
    "waiting": _("Waiting on the customer"),
    "disputed": _("Disputed"),
    "breached": _("Breached"),
}
DEFAULT_VIEW = "open"


def _view_q(view: str, *, user: "User", now: datetime.datetime) -> Q:
    if view == "unassigned":
        return Q(assignee__isnull=True)
    if view == "mine":
        return Q(assignee=user)
    if view == "waiting":
        return Q(state__in=WAITING_ON_CUSTOMER_STATES)
    if view == "disputed":
        return Q(state=State.DISPUTED)
    if view == "breached":
        return breached_q(now)
    return Q()


def queue_for(
    *,
    user: "User",
    now: datetime.datetime,
    view: str = DEFAULT_VIEW,
    tier: str = "",
    priority: str = "",
    organization: "int | str | None" = None,
    assignee: "int | str | None" = None,
    state: str = "",
    q: str = "",
) -> QuerySet[Ticket]:
    """The open tickets `user` may see, narrowed by a view, filters and a search, in queue order.

    `organization` is an organization id or a part of its name; `assignee` an engineer's id or
    UNASSIGNED. Each row carries `urgency` (workspace.urgency.Urgency) as of `now`, and its
    tier, priority, organization and assignee (joined, not fetched per row).
    """
    tickets = tickets_visible_to(user).open().filter(_view_q(view, user=user, now=now))
    if tier:
        tickets = tickets.filter(tier_id=tier)
    if priority:
        tickets = tickets.filter(priority_id=priority)
    if isinstance(organization, int):
        tickets = tickets.filter(organization_id=organization)
    elif organization:
        tickets = tickets.filter(
            organization_id__in=Organization.objects.filter(name__icontains=organization).values(
                "id"
            )
        )
    if assignee == UNASSIGNED:
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee:
        tickets = tickets.filter(assignee_id=assignee)
    if state:
        tickets = tickets.filter(state=state)
    if q.strip():
        tickets = tickets.filter(search_q(q))
    return (
        with_urgency(tickets, now)
        .select_related("tier", "priority", "organization", "assignee")
        .defer("description", "diagnostics")
        .order_by(*QUEUE_ORDER)
    )


def queue_page(
    tickets: QuerySet[Ticket],
    *,
    number: object,
    per_page: int,
    q: str = "",
    values: tuple[str, ...] = (),
) -> Page:
    """One page of `tickets` (from queue_for), as tickets or as dicts of `values`: a COUNT,
    then the page's rows (two queries).

    Without a search, PostgreSQL walks `ticket_queue` and stops after the page, and the count
    stops at COUNT_UP_TO; a search's count stops 100 tickets past the page (paging.count_limit).
    When the matches are few (the count stops short of its limit) they are read from the
    full-text index first and then sorted, a cost in proportion to them; a word that matches
    more is common enough that walking the
    queue order meets a match every few rows, and each row's check reads the stored search
    document in microseconds (migration 0011; before it, recomputing the words cost 250 µs a
    row, and the search had to be counted in full to choose).
    """
    searching = bool(q.strip()) and connection.vendor == "postgresql"
    rows = tickets.values(*values) if values else tickets
    up_to = count_limit(
        searching=bool(q.strip()), page=number, per_page=per_page, up_to=COUNT_UP_TO
    )
    paginator = CappedPaginator(rows, per_page, counted=tickets, count_up_to=up_to)
    if searching and not paginator.capped:
        paginator.object_list = rows.order_by(*MATCHES_FIRST_ORDER)
    return paginator.get_page(number)
