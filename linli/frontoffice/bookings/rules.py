"""Who may book, see, decide on and manage bookings.

Everyone signed in sees what is free (the grid shows no names). An enterprise's members book
on its behalf; service-window staff and administrators book for any enterprise (a walk-in at
the counter), approve, reject and check people in; administrators manage the resources.
A booking is seen by its booker, the members of its enterprise and the booking staff.
"""

from __future__ import annotations

from django.db import models

from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, Role

BOOKING_STAFF = ADMINS | {Role.WINDOW_STAFF}
RESOURCE_ADMINS = ADMINS


def can_view_availability(access: Access) -> bool:
    return access.has_any(EVERYONE)


def is_booking_staff(access: Access) -> bool:
    return access.has_any(BOOKING_STAFF)


def can_book(access: Access) -> bool:
    return is_booking_staff(access) or bool(
        access.has_any({Role.ENTERPRISE_MEMBER}) and access.linked_ids("enterprise")
    )


def may_book_for(access: Access, enterprise_id: int | None) -> bool:
    """Members for their own enterprise; booking staff for any enterprise, or for none."""
    if is_booking_staff(access):
        return True
    return enterprise_id is not None and enterprise_id in access.linked_ids("enterprise")


def can_manage_resources(access: Access) -> bool:
    return access.has_any(RESOURCE_ADMINS)


def visible_bookings(access: Access) -> models.Q:
    """The bookings a person may see, as a filter on ``Booking``."""
    if access.is_system or is_booking_staff(access):
        return models.Q()
    user_id = access.user.pk if access.user is not None else None
    return models.Q(booker_id=user_id) | models.Q(
        enterprise_id__in=sorted(access.linked_ids("enterprise"))
    )


def may_view_booking(access: Access, booking: models.Model) -> bool:
    if access.is_system or is_booking_staff(access):
        return True
    user = access.user
    return (user is not None and getattr(booking, "booker_id", None) == user.pk) or getattr(
        booking, "enterprise_id", None
    ) in access.linked_ids("enterprise")


def may_change_booking(access: Access, booking: models.Model) -> bool:
    """Cancel or check in: the booker, a member of its enterprise, or booking staff."""
    return may_view_booking(access, booking)
