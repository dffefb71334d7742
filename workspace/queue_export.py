"""Any queue view (built-in or saved, with the current filters) as a streamed CSV file.

The rows are workspace.queue.queue_for's, in queue order, every page of them; read with a
server-side cursor and written while read (tickets.csv_export), so 100,000 rows take constant
memory and a fixed number of queries (bench/bench_csv.py).
"""

from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import engineer_required
from tickets.csv_export import CHUNK_ROWS, csv_response, file_name, local_time, person
from tickets.models import State
from workspace.queue import VIEWS, queue_for
from workspace.queue_forms import QueueFilterForm
from workspace.queue_rows import flags
from workspace.urgency import Urgency

QUEUE_COLUMNS = (
    "number",
    "subject",
    "organization__name",
    "tier_id",
    "priority_id",
    "state",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
    "sla_due",
    "urgency",
    "unconfirmed_flagged_at",
    "deadlines_provisional",
    "registered_at",
)


def queue_header() -> list[str]:
    return [
        _("Number"),
        _("Subject"),
        _("Organization"),
        _("Tier"),
        _("Priority"),
        _("State"),
        _("Assignee"),
        _("Next deadline"),
        _("Urgency"),
        _("Flags"),
        _("Registered"),
    ]


@require_GET
@engineer_required
def queue_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The queue as the page's query string filters it, every ticket of it."""
    now = timezone.now()
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    tickets = queue_for(user=request.user, now=now, **filters)
    # Everything in the viewer's language and zone now: the rows are written after the view.
    tiers = {str(key): str(label) for key, label in form.fields["tier"].choices if key}
    priorities = {str(key): str(label) for key, label in form.fields["priority"].choices if key}
    states = {value: str(label) for value, label in State.choices}
    urgencies = {value: str(label) for value, label in Urgency.choices}
    flag_words = {
        key: ", ".join(str(words) for _code, words in flags(*key))
        for key in ((s, f, p) for s in State.values for f in (None, now) for p in (False, True))
    }
    formatted = local_time(timezone.get_current_timezone())

    def rows() -> Iterator[tuple[str, ...]]:
        for values in tickets.values_list(*QUEUE_COLUMNS).iterator(chunk_size=CHUNK_ROWS):
            number, subject, organization, tier, priority, state = values[:6]
            a_first, a_last, a_email, due, urgency, unconfirmed, provisional, registered = values[
                6:
            ]
            yield (
                number,
                subject,
                organization,
                tiers.get(tier, tier),
                priorities.get(priority, priority),
                states.get(state, state),
                person(a_first, a_last, a_email),
                formatted(due),
                urgencies.get(urgency, ""),
                flag_words[(state, now if unconfirmed else None, bool(provisional))],
                formatted(registered),
            )

    view = str(VIEWS.get(filters["view"], ""))
    name = file_name(_("queue"), view, day=timezone.localdate())
    return csv_response(queue_header(), rows(), name)
