"""Bootstrap badge colours of ticket states and priorities: one table for every page.

The ticket pages read them through the `ui` template tags, the queue's server-rendered rows
(workspace/queue_rows.py) directly. A code an admin adds later gets the neutral badge.
"""

PRIORITY_BADGE = {
    "critical": "text-bg-danger",
    "high": "text-bg-warning",
    "medium": "bg-info-subtle text-info-emphasis",
    "low": "bg-secondary-subtle text-secondary-emphasis",
}
STATE_BADGE = {
    "registered": "bg-primary-subtle text-primary-emphasis",
    "in_progress": "bg-success-subtle text-success-emphasis",
    "awaiting_customer": "bg-warning-subtle text-warning-emphasis",
    "resolved": "bg-info-subtle text-info-emphasis",
    "disputed": "bg-danger-subtle text-danger-emphasis",
    "closed": "bg-secondary-subtle text-secondary-emphasis",
}
NEUTRAL_BADGE = "bg-body-tertiary text-body border"


def state_badge(state: str) -> str:
    return STATE_BADGE.get(state, NEUTRAL_BADGE)


def priority_badge(priority_id: str) -> str:
    return PRIORITY_BADGE.get(priority_id, NEUTRAL_BADGE)
