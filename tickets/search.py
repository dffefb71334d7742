"""What a search box finds: a ticket by its number, its license key (both exact, case aside),
its organization's name (a substring) and its subject and description.

On PostgreSQL the words are matched by full-text search (web-search syntax, stemmed in Russian
and in English) against `Ticket.search_document`, which the GIN indexes `ticket_search` (every
ticket) and `ticket_open_search` (the open ones) hold; elsewhere (the SQLite demo) by substring,
without stemming. The queue and the ticket lists search the same way.
"""

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from accounts.models import License, Organization, normalize_license_key
from tickets.models import Ticket, search_words


def exact_q(query: str) -> Q:
    """The tickets `query` names exactly: its number, or its license's key.

    The license ids are looked up first and put into the condition as constants:
    `license_id IN (1, 2)` can join the full-text match in one bitmap scan of indexes, whereas
    a subquery inside an OR makes PostgreSQL test every ticket one by one.
    """
    query = query.strip()
    numbers = {query, query.upper()}  # numbers are issued in upper case; the index is exact
    exact = Q(number__in=numbers)
    licenses = list(
        License.objects.filter(key=normalize_license_key(query)).values_list("id", flat=True)
    )
    if licenses:
        exact |= Q(license_id__in=licenses)
    return exact


def search_q(query: str, *, exact: Q | None = None) -> Q:
    """What `query` matches (see the module docstring); empty Q for an empty query. `exact`:
    exact_q(query), when the caller has it already (it reads the licenses).

    A search is a few small reads (the license and organization ids) and then one condition."""
    query = query.strip()
    if not query:
        return Q()
    # 2,000 names are read in well under a millisecond; no trigram index is needed for that.
    organizations = list(
        Organization.objects.filter(name__icontains=query).values_list("id", flat=True)
    )
    if connection.vendor == "postgresql":
        text = Q(search_document=search_words(query))
    else:  # the SQLite demo: no stemming, but the same fields
        text = Q(subject__icontains=query) | Q(description__icontains=query)
    found = text | (exact if exact is not None else exact_q(query))
    if organizations:
        found |= Q(organization_id__in=organizations)
    return found


def exact_first(
    tickets: QuerySet[Ticket], query: str, order: tuple[str, ...], *, exact: Q | None = None
) -> QuerySet[Ticket]:
    """`tickets` (already searched for `query`) in `order`, those it names exactly first
    (`exact`: exact_q(query), when the caller has it already).

    Only when there are such tickets (one probe of two indexes): a CASE in the ORDER BY makes
    PostgreSQL sort every match, which costs nothing for a ticket number and a few milliseconds
    for a license's tickets, but would cost a common word's whole result set.
    """
    exact = exact if exact is not None else exact_q(query)
    if not tickets.filter(exact).exists():
        return tickets.order_by(*order)
    return tickets.order_by(Case(When(exact, then=Value(0)), default=Value(1)), *order)
