"""Bench engineers sign in as the portal requires of engineers: with a second factor.

The portal sends an engineer without one to set it up (accounts.middleware), so a bench that
signs an engineer in without it would measure that redirect. The load's engineers get an
authenticator app (one fixed, unused secret) the first time a bench needs them.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User

BENCH_TOTP_SECRET = "BENCHBENCHBENCHBENCHBENCHBENCH23"  # noqa: S105 (bench data only)


def ensure_second_factor(users: "list[User]") -> None:
    have = set(
        Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    for user in users:
        if user.pk not in have:
            TOTP.activate(user, BENCH_TOTP_SECRET)
