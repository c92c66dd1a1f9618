"""Booking verbs, one module per concern; callers use them from here (``services.check_in``).

- ``requests``: asking for one slot or a recurring series;
- ``changes``: approve, reject, cancel and check in, and the actions a person may take now;
- ``sweeps``: the background release of no-shows (strikes, suspensions), completion, reminders;
- ``administration``: resources, their door and feed codes, and calendar-feed links.
"""

from linli.frontoffice.bookings.checks import BookingRefused, Refusal
from linli.frontoffice.bookings.services.administration import (
    feed_token,
    rotate_feed_token,
    rotate_resource_tokens,
    save_resource,
)
from linli.frontoffice.bookings.services.changes import (
    ACTIONS,
    FROM_STATES,
    allowed_actions,
    approve_booking,
    booking_at_door,
    cancel_booking,
    cancellation_cutoff,
    check_in,
    check_in_at_door,
    reject_booking,
)
from linli.frontoffice.bookings.services.requests import (
    MAX_OCCURRENCES,
    Occurrence,
    book_series,
    occurrences,
    plan_series,
    request_booking,
)
from linli.frontoffice.bookings.services.sweeps import (
    DEFAULT_STRIKE_RULE,
    REMIND_BEFORE,
    complete_finished,
    release_no_shows,
    send_reminders,
    strike_rule,
)

__all__ = [
    "ACTIONS",
    "BookingRefused",
    "DEFAULT_STRIKE_RULE",
    "FROM_STATES",
    "MAX_OCCURRENCES",
    "REMIND_BEFORE",
    "Occurrence",
    "Refusal",
    "allowed_actions",
    "approve_booking",
    "book_series",
    "booking_at_door",
    "cancel_booking",
    "cancellation_cutoff",
    "check_in",
    "check_in_at_door",
    "complete_finished",
    "feed_token",
    "occurrences",
    "plan_series",
    "reject_booking",
    "release_no_shows",
    "request_booking",
    "rotate_feed_token",
    "rotate_resource_tokens",
    "save_resource",
    "send_reminders",
    "strike_rule",
]
