"""Placeholders in engineers' texts to customers (canned replies, issue 18).

A placeholder is a name in double braces, `{{customer_name}}`, or its Russian name,
`{{имя_клиента}}` (spaces inside the braces are allowed). Double braces were chosen because
single ones occur in the code, JSON and configuration snippets engineers paste into replies;
`{{word}}` in a text to a customer is never meant literally.

The set is fixed (PLACEHOLDERS). Its values come from the ticket, in the customer's language
and, for the deadline, the customer's time zone, formatted as the customer's mail formats it
(`tickets.templatetags.portal.when`). A placeholder without a value for a ticket (no name, no
engineer assigned, the resolution clock paused) stays in the text as it was written, and
`refuse_unfilled` keeps such a text from reaching the customer: the reply, the information
request and the resolution call it (tickets/services/lifecycle.py).

The canned replies themselves live in the `replies` app, above tickets; this module is the
tickets' side of the contract, so that tickets never imports replies.
"""

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket
from tickets.templatetags.portal import when

if TYPE_CHECKING:
    from accounts.models import User

# `\w` is Unicode-aware in Python: the Russian names match too.
TOKEN = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@dataclasses.dataclass(frozen=True)
class Placeholder:
    key: str  # the English name, also the key of the values
    name_ru: str
    description: Promise

    @property
    def token(self) -> str:
        return "{{%s}}" % self.key  # noqa: UP031 (braces would need doubling in a format string)

    @property
    def token_ru(self) -> str:
        return "{{%s}}" % self.name_ru  # noqa: UP031


PLACEHOLDERS = (
    Placeholder("customer_name", "имя_клиента", _("the customer's name")),
    Placeholder("ticket_number", "номер_заявки", _("the ticket's number")),
    Placeholder(
        "resolution_due",
        "срок_решения",
        _("the resolution deadline, in the customer's time zone (none while it is paused)"),
    ),
    Placeholder("engineer_name", "имя_инженера", _("the name of the engineer assigned")),
)
# Either name of a placeholder → its key.
KEYS = {name: p.key for p in PLACEHOLDERS for name in (p.key, p.name_ru)}


def known_list() -> str:
    """The known placeholders with both names: "{{customer_name}} ({{имя_клиента}}), …"."""
    return ", ".join(f"{p.token} ({p.token_ru})" for p in PLACEHOLDERS)


def unknown_tokens(text: str) -> list[str]:
    """The tokens in `text` that name no placeholder, each once, in order."""
    found = [m.group(0) for m in TOKEN.finditer(text or "") if m.group(1) not in KEYS]
    return list(dict.fromkeys(found))


def known_tokens(text: str) -> list[tuple[str, str]]:
    """(token as written, key) of each placeholder left in `text`, each once, in order."""
    found = [
        (m.group(0), KEYS[m.group(1)]) for m in TOKEN.finditer(text or "") if m.group(1) in KEYS
    ]
    return list(dict.fromkeys(found))


def validate_known(text: str) -> None:
    """Refuse a text that uses a placeholder not in the set (ValidationError, the known listed)."""
    unknown = unknown_tokens(text)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s. Known placeholders: %(known)s."),
            params={"unknown": ", ".join(unknown), "known": known_list()},
            code="unknown_placeholder",
        )


def _person_name(person: "User | None") -> str | None:
    name = person.get_full_name().strip() if person is not None else ""
    return name or None


def _resolution_due(ticket: Ticket) -> str | None:
    # While the clock is paused the stored deadline moves when it resumes: no promise to give.
    if ticket.resolution_due is None or ticket.resolution_paused_at is not None:
        return None
    with timezone.override(ticket.customer.time_zone):
        return when(ticket.resolution_due)


VALUES: dict[str, Callable[[Ticket], str | None]] = {
    "customer_name": lambda ticket: _person_name(ticket.customer),
    "ticket_number": lambda ticket: ticket.number,
    "resolution_due": _resolution_due,
    "engineer_name": lambda ticket: _person_name(ticket.assignee),
}


def values_for(ticket: Ticket) -> dict[str, str | None]:
    """Each placeholder's value for `ticket` (None: no value), in the customer's language."""
    with translation.override(ticket.customer.language):
        return {key: value(ticket) for key, value in VALUES.items()}


@dataclasses.dataclass(frozen=True)
class Filled:
    text: str
    missing: list[str]  # the tokens left in the text, as written


def fill(text: str, values: Mapping[str, str | None]) -> Filled:
    """Replace each placeholder that has a value; leave the others as written, and name them."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        key = KEYS.get(match.group(1))
        value = values.get(key) if key else None
        if key and value is None and match.group(0) not in missing:
            missing.append(match.group(0))
        return match.group(0) if value is None else value

    return Filled(text=TOKEN.sub(replace, text or ""), missing=missing)


def refuse_unfilled(text: str, *, field: str, ticket: Ticket) -> None:
    """Refuse a text to the customer that still holds a placeholder, naming it; the form keeps
    the text (the views re-render it with this error beside the field)."""
    left = known_tokens(text)
    if not left:
        return
    values = values_for(ticket)
    messages = [
        _("%(token)s has no value for this ticket: replace it before sending.") % {"token": token}
        if values[key] is None
        else _("%(token)s is a placeholder: replace it with its value before sending.")
        % {"token": token}
        for token, key in left
    ]
    raise ValidationError({field: messages})
