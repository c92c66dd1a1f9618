"""Who may do what with food safety.

- Reading (the establishments, their grades, inspections and rectifications): the whole-area
  staff of the sub-district (every staff role but the butler, whose work is a portfolio).
- Managing (registering an establishment, grading it, ordering and following up a
  rectification, generating the year's inspections): those who use the joint-inspection
  planner, i.e. the coordinators and the handlers of an inspecting department, the market
  regulation office above all. Generating plans for a department further needs the planner's
  own right to plan for it (``inspections.rules.may_plan_for``), which the verb checks.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import WHOLE_AREA
from linli.core.visibility import Condition
from linli.enterprise.inspections import rules as inspection_rules
from linli.governance.foodsafety.models import (
    Establishment,
    GradeChange,
    Rectification,
    ScheduledInspection,
)


def may_read(access: Access) -> bool:
    return access.has_any(WHOLE_AREA)


def may_manage(access: Access) -> bool:
    return may_read(access) and inspection_rules.may_use(access)


@visibility.policy(Establishment)
def establishments(access: Access, action: str) -> Condition:
    return may_read(access)


@visibility.policy(GradeChange)
def gradings(access: Access, action: str) -> Condition:
    return visibility.through(establishments(access, action), "establishment")


@visibility.policy(ScheduledInspection)
def scheduled(access: Access, action: str) -> Condition:
    return visibility.through(establishments(access, action), "establishment")


@visibility.policy(Rectification)
def rectifications(access: Access, action: str) -> Condition:
    return visibility.through(establishments(access, action), "establishment")


def follow_up_refused(rectification: Rectification) -> str | None:
    """Why the rectification cannot be followed up now, or None."""
    if rectification.status != Rectification.Status.OPEN:
        return _("This rectification is already followed up.")
    return None
