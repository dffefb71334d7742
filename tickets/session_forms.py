"""The forms of a session agreement (tickets.services.sessions) and what the ticket page needs
to show it. As with the other forms, they carry what was typed; the service decides.

Times are typed in <input type="datetime-local">, which has no zone: they are read in the
person's own time zone (User.time_zone), and the form says which one that is.
"""

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from tickets import selectors
from tickets.forms import ServiceErrorsMixin, _text
from tickets.models import HandlingMethod, Ticket, side_of
from tickets.widgets import PlainSelect

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed without a zone, read in `zone` (set by the form)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    zone: zoneinfo.ZoneInfo | None = None

    def to_python(self, value: Any) -> datetime.datetime | None:
        if self.zone is None:
            return super().to_python(value)
        with timezone.override(self.zone):
            return super().to_python(value)


def _when(label: str) -> LocalDateTimeField:
    field = LocalDateTimeField(label=label, required=False)
    field.widget.attrs["required"] = True  # a hint for the browser; the service decides
    return field


class _ZonedForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args: Any, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.zone = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = timezone.get_current_timezone()
        for name in ("starts_at", "ends_at"):
            if name in self.fields:
                self.fields[name].zone = self.zone
        self.fields["starts_at"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": str(self.zone)
        }


class SessionProposalForm(_ZonedForm):
    method = forms.ChoiceField(
        label=_("Session"),
        choices=[
            (HandlingMethod.REMOTE.value, HandlingMethod.REMOTE.label),
            (HandlingMethod.PHONE.value, HandlingMethod.PHONE.label),
        ],
        required=False,
        widget=PlainSelect,
    )
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))
    phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=40,
        help_text=_("The number the engineer will call; required for a phone consultation."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionCounterForm(_ZonedForm):
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))
    note = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionAnswerForm(ServiceErrorsMixin, forms.Form):
    note = _text(_("Comment (required to decline)"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs.pop("required")  # accepting needs no words


def proposal_form(*, ticket: Any, zone: str, bound: dict[str, Any]) -> SessionProposalForm:
    """The engineer's form to propose a session, filled from a refused attempt or fresh: of
    the ticket it reads only whether its tier is Extended (the kept panel builds it from that:
    templatetags/engineer_panels.py)."""
    propose = bound.get("session") or SessionProposalForm(prefix="session", zone=zone)
    if not ticket.tier.extended:  # phone consultations are for Extended tiers only
        field = propose.fields["method"]
        field.choices = [c for c in field.choices if c[0] != HandlingMethod.PHONE]
    return propose


def session_panel(
    *, user: Any, ticket: Ticket, agreements: selectors.Agreements, bound: dict[str, Any]
) -> dict[str, Any]:
    """The ticket page's session panel: the pending proposal, whether `user` answers it, the
    agreed sessions, and the forms (filled from a refused attempt, or fresh)."""
    zone = getattr(user, "time_zone", "")
    pending = agreements.pending_session
    acting = user.is_engineer or user.is_customer
    # Each form built only if the page draws it: without a proposal only the engineer's
    # form to propose one is shown, and that part is kept (templatetags/engineer_panels.py).
    return {
        "pending_session": pending,
        "session_may_answer": bool(
            pending and acting and ticket.is_open and side_of(user) != pending.side
        ),
        "agreed_sessions": agreements.agreed_sessions,
        "session_form": SimpleLazyObject(
            lambda: proposal_form(ticket=ticket, zone=zone, bound=bound)
        ),
        "session_answer_form": SimpleLazyObject(
            lambda: bound.get("session_answer") or SessionAnswerForm(prefix="session_answer")
        ),
        "session_counter_form": SimpleLazyObject(
            lambda: (
                bound.get("session_counter")
                or SessionCounterForm(prefix="session_counter", zone=zone)
            )
        ),
    }
