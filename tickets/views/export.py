"""The ticket list as a CSV file: the same filters and the same visibility as the page.

A customer exports their organization's tickets only: the rows come from
selectors.ticket_list_for_user, as on the page. Streamed (tickets.csv_export): constant memory
and a fixed number of queries whatever the rows.
"""

from collections.abc import Iterator
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sla import selectors as sla_selectors
from tickets import selectors
from tickets.csv_export import CHUNK_ROWS, csv_response, file_name, local_time, person
from tickets.models import State
from tickets.templatetags.portal import waits_on
from tickets.views.pages import list_filters

LIST_COLUMNS = (
    "number",
    "subject",
    "organization__name",
    "customer__first_name",
    "customer__last_name",
    "customer__email",
    "state",
    "priority_id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
    "registered_at",
    "updated_at",
)


def list_header() -> list[str]:
    return [
        _("Number"),
        _("Subject"),
        _("Organization"),
        _("Requester"),
        _("State"),
        _("Priority"),
        _("Assignee"),
        _("Registered"),
        _("Last update"),
        _("Whose move"),
    ]


@require_GET
@login_required
def ticket_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every ticket of the list as filtered (all pages), latest activity first."""
    state, query, mine = list_filters(request)
    tickets = selectors.ticket_list_for_user(user=request.user, state=state, query=query, mine=mine)
    # Labels in the viewer's language, computed now: the rows are written after the view.
    states = {value: str(label) for value, label in State.choices}
    moves = {value: str(waits_on(SimpleNamespace(state=value))) for value in State.values}
    priorities = {p.pk: str(p.label) for p in sla_selectors.priorities.get()}
    formatted = local_time(timezone.get_current_timezone())

    def rows() -> Iterator[tuple[str, ...]]:
        for values in tickets.values_list(*LIST_COLUMNS).iterator(chunk_size=CHUNK_ROWS):
            number, subject, organization, c_first, c_last, c_email, st, priority = values[:8]
            a_first, a_last, a_email, registered, updated = values[8:]
            yield (
                number,
                subject,
                organization,
                person(c_first, c_last, c_email),
                states.get(st, st),
                priorities.get(priority, priority),
                person(a_first, a_last, a_email),
                formatted(registered),
                formatted(updated),
                moves.get(st, ""),
            )

    name = file_name(_("tickets"), state, _("mine") if mine else "", day=timezone.localdate())
    return csv_response(list_header(), rows(), name)
