"""Who may do what in the Park Assistant.

- A building manager runs the portal of the buildings their memberships name; administrators
  may stand in for any building of their sub-district (to help a manager, or before one is
  appointed). Everybody else gets 404 for a building's manager pages: they do not exist for them.
- An enterprise member sees the notices addressed to their own enterprise, files requests for
  it and follows them.
"""

from __future__ import annotations

from django.db import models

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.registry.models import Building, Enterprise

MANAGERS = ADMINS | {Role.BUILDING_MANAGER}
MEMBERS = frozenset({Role.ENTERPRISE_MEMBER})
PORTAL = MANAGERS | MEMBERS


def may_use_portal(access: Access) -> bool:
    return access.has_any(PORTAL)


def is_manager(access: Access) -> bool:
    return access.has_any(MANAGERS)


def managed_buildings(access: Access) -> models.QuerySet[Building]:
    buildings = Building.objects.all()
    if access.has_any(ADMINS):
        return buildings
    if access.has_any({Role.BUILDING_MANAGER}):
        return buildings.filter(pk__in=access.linked_ids("building"))
    return buildings.none()


def may_manage(access: Access, building: Building) -> bool:
    return access.has_any(ADMINS) or (
        access.has_any({Role.BUILDING_MANAGER}) and building.pk in access.linked_ids("building")
    )


def own_enterprises(access: Access) -> models.QuerySet[Enterprise]:
    """The enterprises the person is a member of (only as an enterprise member)."""
    ids = {
        m.enterprise_id
        for m in access.memberships
        if m.role == Role.ENTERPRISE_MEMBER and m.enterprise_id is not None
    }
    return Enterprise.objects.filter(pk__in=ids)


def may_file_for(access: Access, enterprise: Enterprise) -> bool:
    return own_enterprises(access).filter(pk=enterprise.pk).exists()
