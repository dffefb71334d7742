"""Drafts of the portal's forms live in the browser (static/js/drafts.js), because the server
may be what is failing when a form is sent. The server only names each draft and says when
one may be forgotten: after it confirmed success, on the next page it renders.

A draft's key is "<user id>:<ticket number or 'new'>:<form name>", so two people who use one
browser never see each other's drafts. A view that carried a form's action out calls
`draft_done`; the context processor `drafts_done` hands the keys to the next full page
(base.html puts them on <body>), where the script forgets exactly those drafts.
"""

from typing import Any

from django.http import HttpRequest

SESSION_KEY = "drafts_done"


def draft_key(user: Any, where: str, form: str) -> str:
    """The draft's name: whose, of which ticket ("new" for a ticket being filed), which form."""
    return f"{user.pk}:{where}:{form}"


def draft_done(request: HttpRequest, key: str) -> None:
    """The form of `key` was carried out: its draft may go on the next page shown."""
    done = request.session.get(SESSION_KEY, [])
    if key not in done:
        request.session[SESSION_KEY] = [*done, key]


def take_done(request: HttpRequest) -> str:
    """The keys of the drafts to forget, space-separated, once (read, then gone)."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    return " ".join(session.pop(SESSION_KEY, []))
