"""Who may use the life-circle pages.

Coverage, gaps and the report are for the sub-district's staff: they show where services are
missing by quarter, which residents' groups and the public registry do not need (residents find
facilities in the registry's facility list). Trying a new site (what-if, suggested sites) is
planning work, for leaders and administrators. Only administrators change the standards, the
walking speeds or the network.

The life circle's rows (network versions, standards, walking speeds) are the sub-district's
planning data: their visibility policies let the staff read them (``view``) and the
administrators manage the network (``manage``); pages and API read them through
``visible_to``. The analysis itself is computed for the whole sub-district and cached, behind
``can_view``.
"""

from linli.core import public_area, visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.core.visibility import Condition
from linli.lifecircle.models import FacilityStandard, LifeCircleSettings, WalkNetworkVersion

VIEWERS = STAFF
# The offline base map (streets, buildings, water, parks from OpenStreetMap) is drawn under every
# map, the residents' reporting map too: everybody in the sub-district may read it, and so may a
# signed-out visitor of its public map of reports while that map is on.
BASEMAP = "basemap"
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


@visibility.policy(WalkNetworkVersion)
def network_versions(access: Access, action: str) -> Condition:
    if action == BASEMAP:
        return access.has_any(EVERYONE) or public_area.is_visitor(access)
    return can_manage_network(access) if action == "manage" else can_view(access)


@visibility.policy(FacilityStandard)
@visibility.policy(LifeCircleSettings)
def planning_data(access: Access, action: str) -> Condition:
    return can_view(access)
