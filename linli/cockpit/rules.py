"""Who sees the building dashboards, and what is on them.

Leaders, administrators and butlers may open the ranking of the buildings; a building manager
opens the dashboard of their own building. Every figure is read through the registry's
audiences (``visible_to``): the buildings a person may see (a building manager: their own),
the enterprises they may see (``view``: counts and industries; a butler: their portfolio) and
the figures of those whose full profile they read (``view_full``: the enterprises' tax). A
leader, like every whole-area role, sees everything of the sub-district.
"""

from __future__ import annotations

from linli.cockpit.models import AlertEvent, AlertRule, Report, ReportSchedule
from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role

RANKING_READERS = ADMINS | {Role.LEADER, Role.BUTLER}


def can_view_ranking(access: Access) -> bool:
    return access.has_any(RANKING_READERS)


def can_view_dashboards(access: Access) -> bool:
    """Coarse gate of a building's dashboard; which buildings is the registry's answer."""
    return can_view_ranking(access) or access.has_any({Role.BUILDING_MANAGER})


OVERVIEW_READERS = ADMINS | {Role.LEADER}


def can_view_overview(access: Access) -> bool:
    """The overview of the whole area: its rates count every organisation's events, so it is
    for the whole-area readers who lead (leaders, administrators)."""
    return access.has_any(OVERVIEW_READERS)


def can_manage_alerts(access: Access) -> bool:
    """Alert rules: the leaders they tell, and administrators."""
    return access.has_any(OVERVIEW_READERS)


@visibility.policy(AlertRule)
@visibility.policy(AlertEvent)
def alert_rules(access: Access, action: str) -> visibility.Condition:
    return can_manage_alerts(access)


def can_manage_reports(access: Access) -> bool:
    """The report archive and the schedules: the leaders who hand the reports upwards, and
    administrators. The figures are the whole area's, as on the overview."""
    return access.has_any(OVERVIEW_READERS)


@visibility.policy(Report)
@visibility.policy(ReportSchedule)
def reports(access: Access, action: str) -> visibility.Condition:
    return can_manage_reports(access)
