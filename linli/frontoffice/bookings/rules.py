"""Who may book, see, decide on and manage bookings.

Everyone signed in sees what is free (the grid shows no names). An enterprise's members book
on its behalf; service-window staff and administrators book for any enterprise (a walk-in at
the counter), approve, reject and check people in; administrators manage the resources.

Who sees a booking (``Booking.objects.visible_to``, the one read path of every list, page,
export, feed and timeline):

- the booking staff who run the centre (administrators, service-window staff): every booking;
- the person who booked it: their own;
- for a booking made on behalf of an enterprise: whoever sees that enterprise's own business
  (the registry's ``view_full`` audience: its members, its butler, the staff of the whole
  area), as they see it on the enterprise's timeline.

Cancelling and checking in stay with the booker, the enterprise's members and booking staff
(``may_change_booking``): seeing a booking is not running it.
"""

from __future__ import annotations

from django.db import models

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.core.visibility import Condition
from linli.frontoffice.bookings.models import (
    Booking,
    BookingSeries,
    FeedToken,
    Resource,
    Strike,
    StrikeRule,
    Suspension,
)
from linli.registry import rules as registry_rules

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


def may_change_booking(access: Access, booking: Booking) -> bool:
    """Cancel or check in: the booker, a member of its enterprise, or booking staff."""
    if access.is_system or is_booking_staff(access):
        return True
    if access.user is not None and booking.booker_id == access.user.pk:
        return True
    return booking.enterprise_id in access.linked_ids("enterprise")


def own_or_enterprise(access: Access) -> models.Q:
    """A person's own bookings and their enterprises' ("mine" on the grid and the pages), as a
    filter on ``Booking``."""
    user_id = access.user.pk if access.user is not None else None
    return models.Q(booker_id=user_id) | models.Q(
        enterprise_id__in=sorted(access.linked_ids("enterprise"))
    )


def _own(access: Access, field: str = "booker") -> Condition:
    return models.Q(**{f"{field}_id": access.user.pk}) if access.user is not None else False


def _about_visible_enterprises(access: Access) -> Condition:
    """Rows about an enterprise whose own business the person sees (members, butler, staff of
    the whole area): the registry's audience, reused."""
    rows = visibility.through(registry_rules.enterprises(access, "view_full"), "enterprise")
    if isinstance(rows, bool):
        # Every enterprise, or none; a row about no enterprise is nobody's business here.
        return models.Q(enterprise__isnull=False) if rows else False
    return models.Q(enterprise__isnull=False) & rows


@visibility.policy(Booking)
def bookings(access: Access, action: str) -> Condition:
    """``view``: the bookings themselves; ``availability``: which slots are taken (the grid
    and a resource's page show that to everyone, naming nobody); ``usage``: counted in the
    sub-centre usage figures (the building dashboards: the sub-district's staff and building
    managers, whose dashboard shows them; the figures name nobody)."""
    if action == "availability":
        return can_view_availability(access)
    if action == "usage":
        return access.has_any(STAFF | {Role.BUILDING_MANAGER})
    if is_booking_staff(access):
        return True
    return visibility.either(_own(access), _about_visible_enterprises(access))


@visibility.policy(BookingSeries)
def booking_series(access: Access, action: str) -> Condition:
    return True if is_booking_staff(access) else _own(access)


@visibility.policy(Resource)
def resources(access: Access, action: str) -> Condition:
    """Rooms, desks and advisors are public within the sub-district (the grid names nobody)."""
    return can_view_availability(access)


@visibility.policy(StrikeRule)
def strike_rules(access: Access, action: str) -> Condition:
    return is_booking_staff(access)


@visibility.policy(Strike)
@visibility.policy(Suspension)
def strikes(access: Access, action: str) -> Condition:
    """No-shows held against an enterprise and its suspensions: its own business."""
    return True if is_booking_staff(access) else _about_visible_enterprises(access)


@visibility.policy(FeedToken)
def feed_tokens(access: Access, action: str) -> Condition:
    """A calendar-feed secret is its owner's alone."""
    return _own(access, "user")
