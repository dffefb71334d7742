"""How long until a deadline, or how long it is overdue, in words: "2 h 15 min left".

One set of words for every page that counts down (the ticket page, the queue and its
script), in the active language.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MINUTE, HOUR, DAY = 60, 3_600, 86_400


class DurationWords:
    """The countdown's words in the active language (look them up once a page)."""

    def __init__(self) -> None:
        self.units = {
            "d": pgettext("duration", "%(n)s d"),
            "h": pgettext("duration", "%(n)s h"),
            "min": pgettext("duration", "%(n)s min"),
        }
        self.soon = _("less than a minute")
        self.left = _("%(time)s left")
        self.overdue = _("overdue by %(time)s")

    def duration(self, seconds: float) -> str:
        """A span in its two largest units, rounded down: "1 d 3 h", "2 h 15 min", "45 min"."""
        seconds = int(abs(seconds))
        if seconds < MINUTE:
            return self.soon
        days, rest = divmod(seconds, DAY)
        hours, rest = divmod(rest, HOUR)
        parts = [(days, "d"), (hours, "h"), (rest // MINUTE, "min")]
        while parts[0][0] == 0:  # the largest unit that is not zero leads
            parts.pop(0)
        return " ".join(self.units[unit] % {"n": n} for n, unit in parts[:2] if n)

    def until(self, due: datetime.datetime, now: datetime.datetime) -> str:
        """ "2 h 15 min left" before `due`, "overdue by 1 d 3 h" after it."""
        left = (due - now).total_seconds()
        return (self.left if left > 0 else self.overdue) % {"time": self.duration(left)}
