"""Who sees and does what in caring visits.

- Sub-district administrators: everything of the sub-district.
- Residents' committee staff (``people.rules.committees_of``) and grid workers: the plans,
  visits and alerts of the persons they work on (the residents' rule of their area); committee
  staff and administrators also make plans, assign visitors and record alerts.
- A visitor (a volunteer, a committee's staff member or a grid worker assigned to a plan): only
  the people assigned to them, and what they logged themselves.
- A 老伙伴 volunteer elder: the older elders of their own group.
- A caregiver: the alert form only (they name the elder by a number they know, see nobody).
- Leaders: the statistics, which show counts, never names.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.livelihood.caring.models import (
    Alert,
    CaringPlan,
    CaringVisit,
    CompanionGroup,
    CompanionMember,
    ExtremeWeather,
    OverdueStep,
)
from linli.people import rules as people_rules

# The action statistics read plans and visits with.
STATISTICS = "statistics"


def works_on_area(access: Access) -> bool:
    """Committee staff and grid workers: they work on the residents of an area."""
    return bool(people_rules.committees_of(access) or people_rules.grids_of(access))


def _area(access: Access, action: str, path: str) -> Condition:
    """The persons of the reader's area (committee's quarters, grid), through ``path``."""
    if not works_on_area(access):
        return False
    return visibility.through(people_rules.persons(access, action), path)


def _companions_of(access: Access) -> Q | bool:
    if access.user is None:
        return False
    return Q(
        person_id__in=CompanionMember.objects.filter(
            left_on__isnull=True,
            group__ended_on__isnull=True,
            group__leader__user_id=access.user.pk,
        ).values("person_id")
    )


def _counts_everything(access: Access, action: str) -> bool:
    """Administrators see every row; leaders count every row (``statistics``: figures, never
    a name of an elder)."""
    return access.has_any(ADMINS) or (action == STATISTICS and access.has_any({Role.LEADER}))


@visibility.policy(CaringPlan)
def plans(access: Access, action: str) -> Condition:
    if _counts_everything(access, action):
        return True
    own = Q(visitor_id=access.user.pk) if access.user is not None else False
    return visibility.either(_area(access, action, "person"), own, _companions_of(access))


@visibility.policy(CaringVisit)
def visits(access: Access, action: str) -> Condition:
    if _counts_everything(access, action):
        return True
    own = Q(visitor_id=access.user.pk) if access.user is not None else False
    of_plans = plans(access, action)
    return visibility.either(
        _area(access, action, "person"),
        own,
        Q(plan_id__in=CaringPlan.objects.filter(of_plans).values("pk"))
        if isinstance(of_plans, Q)
        else of_plans,
        _companions_of(access),
    )


@visibility.policy(OverdueStep)
def overdue_steps(access: Access, action: str) -> Condition:
    return visibility.through(plans(access, action), "plan")


@visibility.policy(Alert)
def alerts(access: Access, action: str) -> Condition:
    if access.has_any(ADMINS):
        return True
    own = Q(reported_by_id=access.user.pk) if access.user is not None else False
    return visibility.either(_area(access, action, "person"), own)


@visibility.policy(ExtremeWeather)
def weather(access: Access, action: str) -> Condition:
    """Everyone of the sub-district may know the weather is extreme; administrators set it."""
    if action == "view":
        return True
    return access.has_any(ADMINS)


@visibility.policy(CompanionGroup)
def companion_groups(access: Access, action: str) -> Condition:
    if access.has_any(ADMINS):
        return True
    own = Q(leader__user_id=access.user.pk) if access.user is not None else False
    return visibility.either(_area(access, action, "leader"), own)


@visibility.policy(CompanionMember)
def companion_members(access: Access, action: str) -> Condition:
    return visibility.through(companion_groups(access, action), "group")


def may_visit(access: Access) -> bool:
    """The list of people to visit: whoever may be assigned to visit (volunteers, grid workers,
    committee staff) and administrators."""
    return access.has_any(ADMINS | {Role.VOLUNTEER, Role.GRID_WORKER}) or bool(
        people_rules.committees_of(access)
    )


def may_manage_plans(access: Access) -> bool:
    """Make plans, assign visitors, end plans: administrators and committee staff."""
    return access.has_any(ADMINS) or bool(people_rules.committees_of(access))


def may_oversee(access: Access) -> bool:
    """Every plan of the area, overdue ones and the weather list: administrators, committee
    staff and grid workers."""
    return access.has_any(ADMINS) or works_on_area(access)


def may_log_visit(access: Access, plan: CaringPlan) -> bool:
    return plan.ended_on is None and visibility.allows(access, plan, "change")


def may_set_weather(access: Access) -> bool:
    return access.has_any(ADMINS)


def may_report_alert(access: Access) -> bool:
    """A caregiver's call or a fall a family member reports: caregivers, committee staff and
    administrators."""
    return access.has_any(ADMINS | {Role.CAREGIVER}) or bool(people_rules.committees_of(access))


def may_see_statistics(access: Access) -> bool:
    return access.has_any(ADMINS | {Role.LEADER}) or bool(people_rules.committees_of(access))


def may_see_companions(access: Access) -> bool:
    return may_oversee(access) or access.has_any({Role.VOLUNTEER})


navigation.gate("caring:mine", may_visit)
navigation.gate("caring:plans", may_oversee)
navigation.gate("caring:weather", may_oversee)
navigation.gate("caring:alert", may_report_alert)
navigation.gate("caring:statistics", may_see_statistics)
navigation.gate("caring:companions", may_see_companions)
