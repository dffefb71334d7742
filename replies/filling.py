"""A canned reply filled in for one ticket: the customer's language, the placeholders' values.

The text in the customer's language is used; when the reply has none, the other language's
text stands in and `note` says so (the engineer sees it beside the form; it never goes into the
text). Placeholders without a value stay in the text and are listed in `missing`: the insertion
shows a warning naming them, and the ticket's services refuse to send them
(tickets.placeholders.refuse_unfilled).
"""

import dataclasses
import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from replies.models import CannedReply
from tickets.models import Ticket
from tickets.numbering import format_number
from tickets.placeholders import Filled, fill, values_for
from tickets.templatetags.portal import when


@dataclasses.dataclass(frozen=True)
class FilledReply:
    text: str
    language: str  # of the text
    missing: list[str]
    note: str = ""  # the other language stands in
    warning: str = ""  # names the placeholders left

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def _fallback_note(wanted: str) -> str:
    if wanted == "ru":
        return _(
            "This reply has no Russian text, the customer's language: the English one is inserted."
        )
    return _(
        "This reply has no English text, the customer's language: the Russian one is inserted."
    )


def _missing_warning(missing: list[str]) -> str:
    if not missing:
        return ""
    return ngettext(
        "No value for this ticket: %(tokens)s. Replace it before sending.",
        "No values for this ticket: %(tokens)s. Replace them before sending.",
        len(missing),
    ) % {"tokens": ", ".join(missing)}


def filled_reply(reply: CannedReply, ticket: Ticket) -> FilledReply:
    """`reply` for `ticket`, in the customer's language (or the other one, with a note)."""
    wanted = ticket.customer.language if ticket.customer.language in ("ru", "en") else "ru"
    language, note = wanted, ""
    if not reply.text_in(wanted).strip():
        language, note = ("en" if wanted == "ru" else "ru"), _fallback_note(wanted)
    filled = fill(reply.text_in(language), values_for(ticket))
    return FilledReply(
        text=filled.text,
        language=language,
        missing=filled.missing,
        note=note,
        warning=_missing_warning(filled.missing),
    )


SAMPLE_NAMES = {"ru": "Анна Смирнова", "en": "Anna Smith"}


def preview(text: str, *, language: str, engineer_name: str, now: datetime.datetime) -> Filled:
    """`text` filled with sample values (a customer, a ticket due tomorrow, the engineer), in
    `language`: what the management page shows before saving."""
    with translation.override(language):
        values = {
            "customer_name": SAMPLE_NAMES[language],
            "ticket_number": format_number(123, registered_at=now),
            "resolution_due": when(now + datetime.timedelta(days=1)),
            "engineer_name": engineer_name or None,
        }
    return fill(text, values)
