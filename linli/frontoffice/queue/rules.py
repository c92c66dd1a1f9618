"""Who may do what in the queue.

- A hall's kiosk issues normal and priority tickets for that hall's services: the device key
  in its URL stands for the device (no person signs in at a kiosk).
- Window staff and administrators issue tickets at the desk (also appointment tickets).
- A hall's kiosk issues an appointment ticket only for a booking whose code is shown there.
- A counter is worked by administrators, by the person assigned to it, and by window staff
  of the organisation whose hall it is in.
- Statistics are for administrators, leaders and window staff. The desk (window staff and
  administrators) opens the kiosk and the calling screen; only administrators make new keys.
- The holder of a ticket link may cancel that ticket while it waits.

What a person reads (``visible_to``): halls, their services and counters are public within the
sub-district (the kiosk and the screen show them to anyone in the hall); tickets are read by
the desk, and counted in the statistics by those who read them. The kiosk, the screen and a
ticket's link read by their secret (the device key, the link's token), not by a person.
"""

from __future__ import annotations

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, Role
from linli.core.visibility import Condition
from linli.frontoffice.queue.models import (
    Counter,
    CounterService,
    DayCounter,
    Hall,
    Service,
    Ticket,
)

DESK = ADMINS | {Role.WINDOW_STAFF}
STATISTICS = ADMINS | {Role.LEADER, Role.WINDOW_STAFF}


def may_issue(access: Access, service: Service, *, device: Hall | None = None) -> bool:
    if device is not None:
        return device.pk == service.hall_id and device.subdistrict_id == service.subdistrict_id
    return access.has_any(DESK)


def may_issue_appointment(access: Access) -> bool:
    return access.has_any(DESK)


def may_check_in_appointment(access: Access, hall: Hall, *, device: Hall | None = None) -> bool:
    """The hall's kiosk (the booking code is the person's credential) or the desk."""
    if device is not None:
        return device.pk == hall.pk
    return access.has_any(DESK)


def may_use_console(access: Access) -> bool:
    return access.has_any(DESK)


def may_work_counter(access: Access, counter: Counter) -> bool:
    if access.has_any(ADMINS):
        return True
    if not access.has_any({Role.WINDOW_STAFF}):
        return False
    if access.user is not None and counter.staff_id == access.user.pk:
        return True
    organisations = {
        m.organisation_id
        for m in access.memberships
        if m.role == Role.WINDOW_STAFF and m.organisation_id is not None
    }
    return counter.hall.organisation_id in organisations


def may_see_statistics(access: Access) -> bool:
    return access.has_any(STATISTICS)


def may_open_devices(access: Access) -> bool:
    """Open a hall's kiosk and calling screen (their addresses carry the device key): the desk
    sets them up in the morning."""
    return access.has_any(DESK)


def may_manage_devices(access: Access) -> bool:
    """Make a new device key (the old addresses stop working)."""
    return access.has_any(ADMINS)


@visibility.policy(Hall)
@visibility.policy(Service)
@visibility.policy(Counter)
@visibility.policy(CounterService)
def queue_layout(access: Access, action: str) -> Condition:
    """The halls, their services and windows: what the hall itself shows everyone."""
    return access.has_any(EVERYONE)


@visibility.policy(Ticket)
@visibility.policy(DayCounter)
def tickets(access: Access, action: str) -> Condition:
    """``view``: the desk works with tickets; ``statistics``: counted by those who read the
    statistics (no ticket names anyone)."""
    if action == "statistics":
        return may_see_statistics(access)
    return may_use_console(access)
