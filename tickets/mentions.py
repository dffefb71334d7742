"""@mentions of colleagues in engineers' internal notes (issue 18).

The syntax: `@` and the local part of the colleague's e-mail address, e.g. `@ivan.petrov` for
ivan.petrov@vendor.example, case aside. An `@` inside a word (an e-mail address such as
a@b.example) is not a mention, and a full stop after the name ends the sentence, not the name.
Only active engineers are mentioned; two engineers sharing a local part (at different domains)
are both mentioned. Whatever else follows an `@` stays plain text.
"""

import re
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q

from accounts.models import User

# Not after a word character, a dot, a plus or a hyphen (an e-mail's local part or another
# mention); the name: letters, digits and _%+- in dot-separated pieces, no dot at the end.
MENTION_RE = re.compile(r"(?<![\w.+@-])@([\w%+-]+(?:\.[\w%+-]+)*)", re.UNICODE)
MAX_MENTIONS = 20  # a note naming more is a list, not a call; the first ones count


def handles_in(text: str) -> list[str]:
    """The names mentioned in `text`, lower case, each once, in order (at most MAX_MENTIONS)."""
    found = dict.fromkeys(match.group(1).lower() for match in MENTION_RE.finditer(text or ""))
    return list(found)[:MAX_MENTIONS]


def local_part(email: str) -> str:
    return email.rpartition("@")[0].lower()


def engineers_named(handles: Iterable[str]) -> dict[str, list[User]]:
    """The active engineers each handle names (one query), in the handles' order; unknown
    handles are absent."""
    handles = list(handles)
    if not handles:
        return {}
    wanted = reduce(or_, (Q(email__istartswith=f"{handle}@") for handle in handles))
    found: dict[str, list[User]] = {}
    for engineer in User.objects.engineers().filter(wanted):
        found.setdefault(local_part(engineer.email), []).append(engineer)
    return {handle: found[handle] for handle in handles if handle in found}  # the text's order
