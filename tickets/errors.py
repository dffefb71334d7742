"""Domain errors: refusals a person is shown, with a message that says what is wrong.

Input problems are django.core.exceptions.ValidationError (keyed by field, so a form can show
them next to what was typed); these are refusals of an action as a whole.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise


class TicketActionError(Exception):
    """Base: `message` is user-facing and already translated (lazily)."""

    def __init__(self, message: "StrOrPromise") -> None:
        super().__init__(message)
        self.message = message


class ActionNotPermitted(TicketActionError):
    """The person may not do this (wrong role, or not their ticket)."""


class ActionNotAllowedNow(TicketActionError):
    """The ticket's state does not allow this action any more (or yet)."""


class ConcurrentUpdate(TicketActionError):
    """Somebody else changed the ticket first; nothing of this attempt was saved."""


class ChangedMeanwhile(TicketActionError):
    """Somebody else changed the ticket after the person's page was shown: nothing was saved,
    and `changes` (tickets.services.seen.Change) say what happened meanwhile."""

    def __init__(self, message: "StrOrPromise", changes: Sequence[Any]) -> None:
        super().__init__(message)
        self.changes = changes
