"""What a queue row shows, and the words of its countdown: "2 h 15 min left", "overdue by 1 d 3 h".

A page of 50 rows is the queue page's hot loop, so the rows are prepared in Python from plain
values (`rows_for`) and written out by one format string (`render_rows`), not by template tags
and filters per cell: those cost about 0.8 ms a row, 40 ms a page, most of the page's time,
and even plain template variables cost 14 ms a page. The markup is ROW_HTML below, in one
piece; every value is escaped on its way in (`_fill`). The words are looked up once a page
(`Words`), not once a row. The template tags in workspace.templatetags.workspace only adapt
these for templates.

The countdown is ticked on in the browser (static/js/queue.js) with the same words, which the
page hands over through `script_texts`, so both speak the viewer's language.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.badges import NEUTRAL_BADGE, priority_badge, state_badge
from tickets.durations import DurationWords
from tickets.models import WAITING_ON_CUSTOMER_STATES, State
from tickets.templatetags.portal import when
from workspace.urgency import Urgency


class Words(DurationWords):
    """The countdown's words in the active language, with the queue's own cases."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = _("waiting on the customer")
        self.no_deadline = _("no deadline")

    def countdown(self, state: str, due: datetime.datetime | None, now: datetime.datetime) -> str:
        """How long until a ticket's next deadline `due`, or how long it is overdue."""
        if state in WAITING_ON_CUSTOMER_STATES:
            return self.waiting
        if due is None:
            return self.no_deadline
        return self.until(due, now)


def flags(
    state: str, unconfirmed_flagged_at: datetime.datetime | None, provisional: bool
) -> list[tuple[str, str]]:
    """A ticket's flags as (code, words): what an engineer must notice beyond the deadline.

    The words are the ticket page's own, so both pages name a flag alike.
    """
    found = []
    if state == State.RESOLVED and unconfirmed_flagged_at is not None:
        found.append(("unconfirmed", _("Confirmation overdue")))
    if state == State.DISPUTED:
        found.append(("disputed", _("Disputed")))
    if provisional:
        found.append(("provisional", _("Provisional deadlines")))
    return found


def total_text(paginator: Any) -> str:
    """The count in words: "234 tickets", or "more than 1,000 tickets" where it stopped."""
    if getattr(paginator, "capped", False):
        number = paginator.count_up_to
        text = ngettext("more than %(count)s ticket", "more than %(count)s tickets", number)
    else:
        number = paginator.count
        text = ngettext("%(count)s ticket", "%(count)s tickets", number)
    return text % {"count": formats.number_format(number, force_grouping=True)}


def iso(value: datetime.datetime | None) -> str:
    """An instant as ISO 8601 (UTC) for the browser, or an empty string."""
    return value.astimezone(datetime.UTC).isoformat() if value else ""


@dataclasses.dataclass(frozen=True, slots=True)
class QueueRow:
    number: str
    url: str
    choose: str  # the label of the row's checkbox
    subject: str
    organization_id: int
    organization: str
    tier_id: str
    tier: str
    priority_id: str
    priority: str
    state: str
    state_label: str
    assignee: str  # empty: nobody
    urgency: str  # an Urgency value
    urgency_label: str
    countdown: str
    due_iso: str
    due_text: str
    flags: list[tuple[str, str]]


# What a row is made of: workspace.queue.queue_for(...).values(*ROW_VALUES). Plain values, not
# tickets: building 250 model instances (tickets and their relations) took some 10 ms a page.
ROW_VALUES = (
    "number",
    "subject",
    "state",
    "urgency",
    "sla_due",
    "unconfirmed_flagged_at",
    "deadlines_provisional",
    "organization_id",
    "organization__name",
    "tier_id",
    "priority_id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
)


_MARK = "NUMBER"
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


def rows_for(
    tickets: Iterable[dict[str, Any]],
    now: datetime.datetime,
    *,
    tiers: dict[str, str],
    priorities: dict[str, str],
) -> list[QueueRow]:
    """The rows of a page of queue_for(...).values(*ROW_VALUES); `tiers` and `priorities` name
    the codes in the viewer's language (the filter form has read them already)."""
    words = Words()
    # reverse() once a page, not once a row (a tenth of the rows' time): only the number varies.
    before, after = reverse("tickets:detail", args=[_MARK]).split(_MARK)
    choose = _("Choose %(number)s")
    states = {value: str(label) for value, label in State.choices}
    urgencies = {value: str(label) for value, label in Urgency.choices}
    rows = []
    for ticket in tickets:
        number, state, due = ticket["number"], ticket["state"], ticket["sla_due"]
        # As User.__str__: the full name, else the e-mail address.
        first, last = ticket["assignee__first_name"], ticket["assignee__last_name"]
        assignee = f"{first or ''} {last or ''}".strip() or ticket["assignee__email"] or ""
        rows.append(
            QueueRow(
                number=number,
                url=f"{before}{quote(number, safe=_URL_SAFE)}{after}",  # as reverse() quotes
                choose=choose % {"number": number},
                subject=ticket["subject"],
                organization_id=ticket["organization_id"],
                organization=ticket["organization__name"],
                tier_id=ticket["tier_id"],
                tier=tiers.get(ticket["tier_id"], ticket["tier_id"]),
                priority_id=ticket["priority_id"],
                priority=priorities.get(ticket["priority_id"], ticket["priority_id"]),
                state=state,
                state_label=states.get(state, state),
                assignee=assignee,
                urgency=ticket["urgency"],
                urgency_label=urgencies.get(ticket["urgency"], ""),
                countdown=words.countdown(state, due, now),
                due_iso=iso(due),
                due_text=when(due),
                flags=flags(
                    state, ticket["unconfirmed_flagged_at"], ticket["deadlines_provisional"]
                ),
            )
        )
    return rows


# Bootstrap's badge colours of the queue's own codes (states and priorities: tickets.badges).
URGENCY_BADGE = {
    "breached": "text-bg-danger",  # static/js/queue.js turns a badge breached the same way
    "at_risk": "text-bg-warning",
    "on_time": "text-bg-success",
    "waiting": "text-bg-secondary",
}
FLAG_BADGE = {
    "unconfirmed": "text-bg-warning",
    "disputed": "text-bg-danger",
}

ROW_HTML = """
  <tr data-number="{number}" class="row-{urgency}">
    <td class="pick">
      <input type="checkbox" name="tickets" value="{number}" id="pick-{number}"
             class="form-check-input">
      <label for="pick-{number}" class="visually-hidden">{choose}</label>
    </td>
    <th scope="row" class="q-number"><a href="{url}">{number}</a></th>
    <td class="due">{due}</td>
    <td class="subject">{subject}</td>
    <td class="q-org">
      <a href="?{org_query}organization={org_id}" title="{only}">{organization}</a></td>
    <td class="q-tier"><span class="badge {tier_badge} tier tier-{tier_id}">{tier}</span></td>
    <td class="q-priority">
      <span class="badge {priority_badge} priority priority-{priority_id}">{priority}</span></td>
    <td class="q-state">
      <span class="badge {state_badge} state state-{state}">{state_label}</span></td>
    <td class="q-assignee" data-label="{assignee_label}">{assignee}</td>
    <td class="flags">{flags}</td>
  </tr>"""
DUE_HTML = """<span class="badge {badge} urgency urgency-{urgency}">
      <span class="urgency-label">{label}</span>
      <span class="countdown" data-due="{due_iso}">{countdown}</span></span>
      <time datetime="{due_iso}" class="small text-body-secondary">{due_text}</time>"""
WAITING_HTML = '<span class="badge text-bg-secondary urgency urgency-waiting">{countdown}</span>'
NOBODY_HTML = '<span class="text-body-secondary">{nobody}</span>'
FLAG_HTML = '<span class="badge {badge} flag flag-{code}">{label}</span> '


def _fill(template: str, html: dict[str, str] | None = None, **values: object) -> str:
    """`template` with every one of `values` escaped, and `html`: pieces filled in here.

    str.format with the standard library's escape: format_html did the same at four times the
    cost, a tenth of the page's time for 50 rows.
    """
    return template.format(
        **{key: escape(str(value)) for key, value in values.items()}, **(html or {})
    )


def script_texts() -> dict[str, str]:
    """The words static/js/queue.js writes (for json_script), placeholders as in Python."""
    words = Words()
    return {
        **words.units,
        "soon": words.soon,
        "left": words.left,
        "overdue": words.overdue,
        "breached": str(Urgency.BREACHED.label),
        "new": _("New in the queue: %(numbers)s"),
        "all": _("Choose all tickets on this page"),
    }


def render_rows(rows: list[QueueRow], organization_query: str = "") -> SafeString:
    """The <tr> of each row. `organization_query`: the page's query string without the
    organization and the page, ending in "&" when not empty (the organization link keeps it)."""
    only = _("Only this organization")
    assignee_label = _("Assignee")
    nobody = _fill(NOBODY_HTML, nobody=_("nobody"))
    html = []
    for row in rows:
        if row.urgency == Urgency.WAITING:
            due = _fill(WAITING_HTML, countdown=row.countdown)
        else:
            due = _fill(
                DUE_HTML,
                badge=URGENCY_BADGE.get(row.urgency, NEUTRAL_BADGE),
                urgency=row.urgency,
                label=row.urgency_label,
                due_iso=row.due_iso,
                countdown=row.countdown,
                due_text=row.due_text,
            )
        flags = "".join(
            _fill(FLAG_HTML, badge=FLAG_BADGE.get(code, NEUTRAL_BADGE), code=code, label=label)
            for code, label in row.flags
        )
        html.append(
            _fill(
                ROW_HTML,
                {
                    "assignee": _fill("{name}", name=row.assignee) if row.assignee else nobody,
                    "due": due,
                    "flags": flags,
                },
                number=row.number,
                urgency=row.urgency,
                choose=row.choose,
                url=row.url,
                subject=row.subject,
                org_query=organization_query,
                org_id=row.organization_id,
                only=only,
                organization=row.organization,
                tier_badge=NEUTRAL_BADGE,
                tier_id=row.tier_id,
                tier=row.tier,
                priority_badge=priority_badge(row.priority_id),
                priority_id=row.priority_id,
                priority=row.priority,
                state_badge=state_badge(row.state),
                state=row.state,
                state_label=row.state_label,
                assignee_label=assignee_label,
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped by _fill
