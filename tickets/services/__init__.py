"""The write path for tickets: every change with a business rule goes through here.

Each service checks permission, runs the FSM transition, saves only the changed fields, writes
the audit event, stores notifications and queues side effects after commit. Services raise
domain errors (tickets.errors) or ValidationError; they never return HTTP.
"""

from tickets.services.bulk import tickets_bulk_assign, tickets_bulk_take
from tickets.services.handling import ticket_record_contact, ticket_set_handling_method
from tickets.services.hotline import hotline_call_log, hotline_call_register
from tickets.services.lifecycle import (
    message_post,
    ticket_assign,
    ticket_confirm,
    ticket_dispute,
    ticket_provide_info,
    ticket_request_info,
    ticket_resolve,
    ticket_take,
    ticket_withdraw,
)
from tickets.services.links import ticket_link, ticket_unlink
from tickets.services.merging import ticket_merge
from tickets.services.priority import priority_change_answer, priority_change_propose
from tickets.services.rating import ticket_rate
from tickets.services.registration import ticket_register
from tickets.services.sessions import session_answer, session_counter, session_propose
from tickets.services.watchers import ticket_follow, ticket_unfollow, watcher_add, watcher_remove

__all__ = [
    "hotline_call_log",
    "hotline_call_register",
    "message_post",
    "priority_change_answer",
    "priority_change_propose",
    "session_answer",
    "session_counter",
    "session_propose",
    "ticket_assign",
    "ticket_confirm",
    "ticket_dispute",
    "ticket_follow",
    "ticket_link",
    "ticket_merge",
    "ticket_provide_info",
    "ticket_rate",
    "ticket_record_contact",
    "ticket_register",
    "ticket_request_info",
    "ticket_resolve",
    "ticket_set_handling_method",
    "ticket_take",
    "ticket_unfollow",
    "ticket_unlink",
    "ticket_withdraw",
    "tickets_bulk_assign",
    "tickets_bulk_take",
    "watcher_add",
    "watcher_remove",
]
