"""The tier history of licenses: the one place that writes licensing.models.TierChange.

The import (licensing.importer) and Django admin's license and organization pages call it in
the transaction that changes the tier.
"""

import datetime
from collections.abc import Iterable

from accounts.models import User
from licensing.models import TierChange

# (license id, tier before, tier after)
Change = tuple[int, str, str]


def tier_changes_record(
    changes: Iterable[Change],
    *,
    actor: User | None,
    source: str,
    now: datetime.datetime,
    note: str = "",
) -> int:
    """Store one TierChange per real change (the same tier before and after is none)."""
    rows = [
        TierChange(
            license_id=license_id,
            from_tier_id=before,
            to_tier_id=after,
            changed_at=now,
            changed_by=actor if actor is not None and actor.pk else None,
            source=source,
            note=note[:255],
        )
        for license_id, before, after in changes
        if before != after
    ]
    TierChange.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
