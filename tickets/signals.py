"""What the tickets app announces to the apps above it (webhooks), inside the transaction that
wrote it: a receiver that stores rows of its own commits or rolls back with the cause.

tickets imports nothing of those apps (the layers contract in pyproject.toml); they connect
their receivers here. A receiver must do no I/O: it stores, and queues work with on_commit.
"""

from django.dispatch import Signal

# `events`: the TicketEvent rows just saved (one for a service, a batch for a periodic job).
events_recorded = Signal()
# `message`: a Message just saved (a reply, an internal note, an information request, a result).
message_posted = Signal()
