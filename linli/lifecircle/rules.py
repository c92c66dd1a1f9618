"""Who may use the life-circle pages.

Coverage, gaps and the report are for the sub-district's staff: they show where services are
missing by quarter, which residents' groups and the public registry do not need (residents find
facilities in the registry's facility list). Trying a new site (what-if, suggested sites) is
planning work, for leaders and administrators. Only administrators change the standards, the
walking speeds or the network.
"""

from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role

VIEWERS = STAFF
PLANNERS = ADMINS | {Role.LEADER}
EDITORS = ADMINS


def can_view(access: Access) -> bool:
    return access.has_any(VIEWERS)


def can_plan(access: Access) -> bool:
    return access.has_any(PLANNERS)


def can_edit_standards(access: Access) -> bool:
    return access.has_any(EDITORS)


def can_manage_network(access: Access) -> bool:
    return access.has_any(EDITORS)
