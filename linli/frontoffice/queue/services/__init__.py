"""Queue verbs, one module per concern; callers use them from here (``services.call_next``).

- ``issuing``: numbers from the kiosk and the desk, the device key and the ticket link;
- ``arrivals``: a booked window slot checked in at the kiosk becomes an appointment ticket;
- ``calling``: call the next, recall, start, finish, no-show, transfer, cancel, and the steps
  a ticket offers now;
- ``counters``: opening and closing windows, device keys, the end of the day.

Every verb checks who is acting, runs in one transaction and writes the audit log.
"""

from linli.frontoffice.queue.services.arrivals import check_in_appointment
from linli.frontoffice.queue.services.calling import (
    ACTION_STATES,
    allowed_actions,
    call_next,
    cancel_ticket,
    current_run,
    current_ticket,
    finish_service,
    line_rule,
    mark_no_show,
    permitted,
    recall,
    start_service,
    transfer_ticket,
    waiting_of,
)
from linli.frontoffice.queue.services.counters import (
    DAY_END_STATES,
    close_counter,
    close_past_days,
    open_counter,
    rotate_device_key,
)
from linli.frontoffice.queue.services.issuing import (
    QueueRefusal,
    hall_for_key,
    issue_ticket,
    ticket_for_token,
    token_hash,
)

__all__ = [
    "ACTION_STATES",
    "DAY_END_STATES",
    "QueueRefusal",
    "allowed_actions",
    "call_next",
    "cancel_ticket",
    "check_in_appointment",
    "close_counter",
    "close_past_days",
    "current_run",
    "current_ticket",
    "finish_service",
    "hall_for_key",
    "issue_ticket",
    "line_rule",
    "mark_no_show",
    "open_counter",
    "permitted",
    "recall",
    "rotate_device_key",
    "start_service",
    "ticket_for_token",
    "token_hash",
    "transfer_ticket",
    "waiting_of",
]
