"""The current code of the demo's authenticator app (seed_demo.DEMO_TOTP_SECRET).

Engineers and admins sign in with a second factor; in the demo they all share one secret, so
someone without an authenticator app at hand can still sign in. It reads no database: it only
knows the demo's published secret, never a real person's.
"""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from tickets.management.commands.seed_demo import DEMO_TOTP_SECRET

PERIOD = 30  # seconds a code lasts (allauth's MFA_TOTP_PERIOD default)


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo engineers and admin."

    def handle(self, *args: object, **options: object) -> None:
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // PERIOD))
        # A code is also taken during the next period (MFA_TOTP_TOLERANCE = 1).
        left = 2 * PERIOD - now % PERIOD
        self.stdout.write(f"{code}  (valid for {left} more seconds)")
