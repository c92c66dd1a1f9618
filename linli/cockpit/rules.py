"""Who sees the building dashboards.

Leaders, administrators and butlers see every building and the ranking of all of them; a
building manager sees the dashboard of their own building only (its figures are the
building's business, the others' are not).
"""

from __future__ import annotations

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.registry.models import Building

SEES_ALL = ADMINS | {Role.LEADER, Role.BUTLER}


def can_view_ranking(access: Access) -> bool:
    return access.is_system or access.has_any(SEES_ALL)


def own_buildings(access: Access) -> set[int]:
    if not access.has_any({Role.BUILDING_MANAGER}):
        return set()
    return access.linked_ids("building")


def can_view_dashboards(access: Access) -> bool:
    return can_view_ranking(access) or bool(own_buildings(access))


def may_view_building(access: Access, building: Building) -> bool:
    return can_view_ranking(access) or building.pk in own_buildings(access)
