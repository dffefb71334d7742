"""Calendar invitations for agreed sessions (regulation 2.3: the method is agreed with the
customer, and the agreed time belongs in both sides' calendars).

An invitation is an iCalendar METHOD:REQUEST with one VEVENT. Its UID is stable per proposal,
so a calendar that receives the same invitation twice (a retried mail) keeps one event.
Times are written in UTC: every calendar shows them in its owner's zone.
"""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from tickets.models import Notification, SessionProposal

FILENAME = "invite.ics"
MIMETYPE = "text/calendar; method=REQUEST"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def session_uid(proposal: SessionProposal) -> str:
    return f"session-{proposal.pk}@{site_domain()}"


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def invitation(proposal: SessionProposal) -> bytes:
    """The VCALENDAR inviting the ticket's contact to the agreed session `proposal`.

    The organizer is the vendor's sending address (DEFAULT_FROM_EMAIL); texts are in the
    active language.
    """
    ticket = proposal.ticket
    url = settings.SITE_URL + reverse("tickets:detail", args=[ticket.number])
    method = proposal.get_method_display()
    lines = [
        _("Ticket %(number)s: %(subject)s") % {"number": ticket.number, "subject": ticket.subject}
    ]
    if proposal.phone:
        lines.append(_("Contact phone: %(phone)s") % {"phone": proposal.phone})
    if proposal.note:
        lines.append(proposal.note)
    lines.append(_("The ticket on the support portal: %(url)s") % {"url": url})

    calendar = Calendar()
    calendar.add("prodid", "-//Support portal//Session invitations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", session_uid(proposal))
    event.add("dtstamp", (proposal.answered_at or proposal.created_at).astimezone(datetime.UTC))
    event.add("dtstart", proposal.starts_at.astimezone(datetime.UTC))
    event.add("dtend", proposal.ends_at.astimezone(datetime.UTC))
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("summary", f"{ticket.number}: {method}")
    event.add("description", "\n".join(lines))
    event.add("location", proposal.phone or url)
    event.add("url", url)
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email, name))
    attendee = _address(ticket.contact_email, str(ticket.customer))
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED")  # the time was agreed on the portal
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def attach_invitation(message: EmailMessage, notification: Notification) -> None:
    """Attach the invitation to the mail that tells of an accepted session (nothing else)."""
    data = notification.data or {}
    if notification.kind != Notification.Kind.SESSION_ANSWERED or data.get("accepted") is not True:
        return
    proposal = (
        SessionProposal.objects.select_related("ticket", "ticket__customer")
        .filter(pk=data.get("proposal"), ticket_id=notification.ticket_id)
        .first()
    )
    # A session since held (status done) is still the one agreed; one declined meanwhile is not.
    if proposal is None or proposal.status not in {
        SessionProposal.Status.ACCEPTED,
        SessionProposal.Status.DONE,
    }:
        return
    with translation.override(notification.language):
        content = invitation(proposal)
    message.attach(FILENAME, content.decode(), MIMETYPE)
