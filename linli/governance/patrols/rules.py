"""Who may do what with grid patrols.

- Grid workers run the patrols of their own grid's plans (``linli.people.rules.grids_of``),
  check in, report findings and end their own patrols; they see their grid's plans, patrols
  and coverage only.
- Sub-district administrators and leaders see every grid's plans, patrols and coverage;
  administrators make the plans.
- Everyone else has no patrol page.

What a person reads is one visibility policy per model, read by the pages, the Excel export
and the coverage figures through ``Model.objects.visible_to(access)``.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.governance.patrols.models import CheckIn, Finding, Patrol, PatrolPlan, PatrolPoint
from linli.people.rules import grids_of

OVERSEERS = ADMINS | {Role.LEADER}


def may_use(access: Access) -> bool:
    """The patrol pages: administrators, leaders and grid workers with a grid."""
    return access.has_any(OVERSEERS) or bool(grids_of(access))


def may_plan(access: Access) -> bool:
    """Patrol plans (points and frequency): administrators."""
    return access.has_any(ADMINS)


def may_run(access: Access, plan: PatrolPlan) -> bool:
    """Start a patrol on a plan: a grid worker of the plan's grid."""
    return plan.active and plan.grid_id in grids_of(access)


def may_work_on(access: Access, patrol: Patrol) -> bool:
    """Check in, report a finding, end: the worker whose patrol it is, while it runs."""
    return (
        patrol.status == Patrol.Status.IN_PROGRESS
        and access.user is not None
        and patrol.worker_id == access.user.pk
        and patrol.grid_id in grids_of(access)
    )


navigation.gate("patrols:home", may_use)
navigation.gate("patrols:coverage", may_use)


@visibility.policy(PatrolPlan)
@visibility.policy(Patrol)
def by_grid(access: Access, action: str) -> Condition:
    if access.has_any(OVERSEERS):
        return True
    grids = grids_of(access)
    return Q(grid_id__in=sorted(grids)) if grids else False


@visibility.policy(PatrolPoint)
def points(access: Access, action: str) -> Condition:
    return visibility.through(by_grid(access, action), "plan")


@visibility.policy(CheckIn)
@visibility.policy(Finding)
def of_patrols(access: Access, action: str) -> Condition:
    return visibility.through(by_grid(access, action), "patrol")
