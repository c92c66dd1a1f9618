"""Who sees which enterprise profile, and what of it; who keeps enterprises.

Which enterprises a person sees is the registry's one audience
(``Enterprise.objects.visible_to(access, action)``, ``linli/registry/rules.py``):

- ``view``, the basic data: the staff of the whole area, a butler's portfolio, an enterprise's
  own members, a building manager's building;
- ``view_full``, the profile's contacts, figures, timeline and visits: the same without the
  building manager.

On top of that, this app's own rows:

- the butler's notes are staff's: whole-area staff and the butler of the portfolio, never the
  enterprise itself;
- the relocation risk is for administrators and leaders, and for a butler on their portfolio;
- visits are logged by administrators and by the butler of the portfolio; portfolios, visit
  plans and the watch list are the managers' (administrators and leaders).
"""

from __future__ import annotations

from django.db import models

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, WHOLE_AREA, Role
from linli.core.visibility import Condition
from linli.enterprise.retention.models import (
    ButlerNote,
    RiskSnapshot,
    Visit,
    VisitDemand,
    VisitPlan,
)
from linli.registry.models import Enterprise
from linli.registry.rules import in_portfolio

MANAGERS = ADMINS | {Role.LEADER}


def enterprises(access: Access, action: str = "view") -> Condition:
    """The registry's audience of enterprises (``view`` or ``view_full``), as a condition."""
    return visibility.condition_for(access, Enterprise, action)


def notes_audience(access: Access) -> Condition:
    """The enterprises whose butler's notes ``access`` reads: staff among the full audience."""
    if access.is_system:
        return True
    if not access.has_any(STAFF):
        return False
    return enterprises(access, "view_full")


def risk_audience(access: Access) -> Condition:
    """The enterprises whose relocation risk ``access`` reads: managers all of them, a butler
    the portfolio (their full audience)."""
    if access.is_system or access.has_any(MANAGERS):
        return True
    if access.has_any({Role.BUTLER}):
        return enterprises(access, "view_full")
    return False


def among(condition: Condition) -> models.QuerySet[Enterprise]:
    """The enterprises a condition of this module (``notes_audience``, ``risk_audience``)
    allows."""
    if condition is True:
        return Enterprise.objects.all()
    if condition is False:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(condition)


def _holds(condition: Condition, enterprise: Enterprise) -> bool:
    if isinstance(condition, bool):
        return condition
    return among(condition).filter(pk=enterprise.pk).exists()


@visibility.policy(Visit)
def visits(access: Access, action: str) -> Condition:
    """A visit is part of the enterprise's full profile (its timeline)."""
    return visibility.through(enterprises(access, "view_full"), "enterprise")


@visibility.policy(VisitDemand)
def visit_demands(access: Access, action: str) -> Condition:
    return visibility.through(enterprises(access, "view_full"), "visit__enterprise")


@visibility.policy(ButlerNote)
def butler_notes(access: Access, action: str) -> Condition:
    return visibility.through(notes_audience(access), "enterprise")


@visibility.policy(RiskSnapshot)
def risk_snapshots(access: Access, action: str) -> Condition:
    return visibility.through(risk_audience(access), "enterprise")


@visibility.policy(VisitPlan)
def visit_plans(access: Access, action: str) -> Condition:
    """Visiting rules are staff's working rules."""
    return access.has_any(STAFF)


def can_use(access: Access) -> bool:
    """Someone who may see at least one profile (coarse gate of the pages)."""
    return access.has_any(STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER})


def can_list_enterprises(access: Access) -> bool:
    """The enterprise list is for those who see more than their own enterprise: staff and
    building managers (an enterprise member goes to their own profile)."""
    return access.has_any(STAFF | {Role.BUILDING_MANAGER})


def works_on_portfolio(access: Access) -> bool:
    """A butler without a whole-area role: their enterprises are their portfolio."""
    return access.has_any({Role.BUTLER}) and not access.has_any(WHOLE_AREA)


def sees_full_profile(access: Access, enterprise: Enterprise) -> bool:
    return visibility.allows(access, enterprise, "view_full")


def may_read_notes(access: Access, enterprise: Enterprise) -> bool:
    return _holds(notes_audience(access), enterprise)


def may_write_note(access: Access, enterprise: Enterprise) -> bool:
    return access.has_any(MANAGERS) or in_portfolio(access, enterprise)


def may_see_risk(access: Access, enterprise: Enterprise) -> bool:
    return _holds(risk_audience(access), enterprise)


def may_log_visit(access: Access, enterprise: Enterprise) -> bool:
    return access.has_any(ADMINS) or in_portfolio(access, enterprise)


def may_pull_in_departments(access: Access, enterprise: Enterprise) -> bool:
    """The case rules decide again per case (the butler must be handling it)."""
    return access.has_any(MANAGERS) or in_portfolio(access, enterprise)


def can_list_visits(access: Access) -> bool:
    """The visit log (with whom the butler met) is staff's."""
    return access.has_any(STAFF)


def can_assign(access: Access) -> bool:
    return access.has_any(MANAGERS)


def can_plan(access: Access) -> bool:
    return access.has_any(MANAGERS)


def can_see_overdue(access: Access) -> bool:
    return access.has_any(MANAGERS | {Role.BUTLER})


def can_see_watchlist(access: Access) -> bool:
    return access.has_any(MANAGERS)
