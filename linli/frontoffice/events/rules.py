"""Who may do what with events.

- Everyone signed in sees the events open to them: residents see the public ones, enterprise
  members, building managers and staff see all of them.
- Enterprise members register on behalf of their enterprise; anyone may register for a public
  event as themselves.
- Service-window staff and administrators organise events: create, edit, approve
  registrations, check people in. Leaders read attendance and statistics as well.
- A registration is its registrant's: they cancel it, accept an offer, see its QR code and rate
  the event once they have attended.
"""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.frontoffice.events.models import Audience, Event, Registration

ORGANISERS = ADMINS | {Role.WINDOW_STAFF}
READERS = ORGANISERS | {Role.LEADER}
SEES_ALL = STAFF | {Role.ENTERPRISE_MEMBER, Role.BUILDING_MANAGER}


def visible_events(access: Access, events: QuerySet[Event]) -> QuerySet[Event]:
    if not access.is_authenticated:
        return events.none()
    if access.has_any(SEES_ALL):
        return events
    return events.filter(audience=Audience.PUBLIC)


def may_organise(access: Access) -> bool:
    return access.has_any(ORGANISERS)


def may_read_attendance(access: Access) -> bool:
    return access.has_any(READERS)


def may_register(access: Access, event: Event, enterprise_id: int | None) -> bool:
    if access.user is None:
        return False
    if enterprise_id is not None:
        return access.has_any({Role.ENTERPRISE_MEMBER}) and enterprise_id in access.linked_ids(
            "enterprise"
        )
    return event.audience == Audience.PUBLIC


def is_registrant(access: Access, registration: Registration) -> bool:
    return access.user is not None and registration.user_id == access.user.pk


def may_see_registration(access: Access, registration: Registration) -> bool:
    return is_registrant(access, registration) or may_read_attendance(access)
