"""The signed one-click links of the closing mail that let a customer rate a ticket (CSAT).

django.core.signing (HMAC with SECRET_KEY, salted for this use) over the ticket and the
customer it was mailed to; RATING_LINK_MAX_AGE bounds its age. A forged, altered or expired
link is refused (`RatingLinkRefused`), and the page says which.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse

if TYPE_CHECKING:
    from accounts.models import User
    from tickets.models import Ticket

_SALT = "tickets.rating"
SCORES = (5, 4, 3, 2, 1)


def rating_token(*, ticket: "Ticket", customer: "User") -> str:
    return signing.dumps({"t": ticket.pk, "u": customer.pk}, salt=_SALT, compress=True)


def rating_links(*, ticket: "Ticket", customer: "User") -> list[tuple[int, str]]:
    """(score, absolute address) for each score, best first, for the closing mail."""
    url = settings.SITE_URL + reverse(
        "tickets:rate_by_link", args=[rating_token(ticket=ticket, customer=customer)]
    )
    return [(score, f"{url}?score={score}") for score in SCORES]


class RatingLinkRefused(Exception):
    """A rating link that is forged, altered or too old; `expired` tells which."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def rating_from_token(token: str) -> tuple[int, int]:
    """(ticket id, customer id) of a link signed by `rating_token` no longer ago than
    RATING_LINK_MAX_AGE; RatingLinkRefused otherwise."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.RATING_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise RatingLinkRefused(expired=True) from error
    except signing.BadSignature as error:
        raise RatingLinkRefused(expired=False) from error
    return int(data["t"]), int(data["u"])
