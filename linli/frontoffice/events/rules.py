"""Who may do what with events.

- Events are for the enterprises of the area and, when public, for everyone: staff, building
  managers and enterprise members see every event; anyone else signed in (residents) the
  public ones (``Event.objects.visible_to``).
- Enterprise members register on behalf of their enterprise; anyone may register for a public
  event as themselves.
- Service-window staff and administrators organise events: create, edit, approve
  registrations, check people in. Leaders read attendance and statistics as well.
- A registration is its registrant's: they cancel it, accept an offer, see its QR code and rate
  the event once they have attended. It is seen (``Registration.objects.visible_to``) by its
  registrant, by those who read attendance, and, when made on behalf of an enterprise, by
  whoever sees that enterprise's own business (its members, its butler, the staff of the whole
  area: the registry's ``view_full`` audience), as on the enterprise's timeline.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.visibility import Condition
from linli.frontoffice.events.models import Audience, Event, Registration
from linli.registry import rules as registry_rules

ORGANISERS = ADMINS | {Role.WINDOW_STAFF}
READERS = ORGANISERS | {Role.LEADER}
# Those enterprise events are for: the enterprises' own people and those who work with them.
ENTERPRISE_SIDE = STAFF | {Role.ENTERPRISE_MEMBER, Role.BUILDING_MANAGER}


@visibility.policy(Event)
def events(access: Access, action: str) -> Condition:
    if access.user is None:
        return False
    if access.has_any(ENTERPRISE_SIDE):
        return True
    return Q(audience=Audience.PUBLIC)


@visibility.policy(Registration)
def registrations(access: Access, action: str) -> Condition:
    if may_read_attendance(access):
        return True
    own = Q(user_id=access.user.pk) if access.user is not None else False
    return visibility.either(own, _about_visible_enterprises(access))


def _about_visible_enterprises(access: Access) -> Condition:
    """Registrations made on behalf of an enterprise whose own business the person sees."""
    rows = visibility.through(registry_rules.enterprises(access, "view_full"), "enterprise")
    if isinstance(rows, bool):
        # Every enterprise, or none; a row about no enterprise is nobody's business here.
        return Q(enterprise__isnull=False) if rows else False
    return Q(enterprise__isnull=False) & rows


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
