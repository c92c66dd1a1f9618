"""Who sees which enterprise profile, and what of it.

- Administrators and leaders see every enterprise, its risk and the watch list; they assign
  portfolios and set visit plans.
- A butler sees the enterprises of their own portfolio: profile, contacts (unmasked through the
  audited view), notes, risk; they log visits there.
- Other staff (handlers, window staff, grid workers, ambassadors) see every profile and the
  notes, not the risk.
- An enterprise member sees their own enterprise's profile: its data, contacts and timeline;
  never the butler's notes or the risk.
- A building manager sees the basic data of their building's enterprises, nothing more.
"""

from __future__ import annotations

from django.db import models

from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.registry.models import Enterprise

MANAGERS = ADMINS | {Role.LEADER}
SEES_ALL = STAFF - {Role.BUTLER}


def _user_id(access: Access) -> int | None:
    return access.user.pk if access.user is not None else None


def in_portfolio(access: Access, enterprise: Enterprise) -> bool:
    return (
        access.has_any({Role.BUTLER})
        and enterprise.butler_id is not None
        and enterprise.butler_id == _user_id(access)
    )


def visible_enterprises(access: Access, queryset: models.QuerySet) -> models.QuerySet:
    if access.is_system or access.has_any(SEES_ALL):
        return queryset
    condition = models.Q(pk__in=sorted(access.linked_ids("enterprise")))
    if access.has_any({Role.BUTLER}) and access.user is not None:
        condition |= models.Q(butler_id=access.user.pk)
    if access.has_any({Role.BUILDING_MANAGER}):
        condition |= models.Q(building_id__in=sorted(access.linked_ids("building")))
    return queryset.filter(condition)


def can_use(access: Access) -> bool:
    """Someone who sees at least one profile."""
    return access.has_any(STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER})


def is_member(access: Access, enterprise: Enterprise) -> bool:
    return enterprise.pk in access.linked_ids("enterprise")


def sees_full_profile(access: Access, enterprise: Enterprise) -> bool:
    """Contacts and timeline: staff who see the enterprise, its butler, its own members."""
    return (
        access.is_system
        or access.has_any(SEES_ALL)
        or in_portfolio(access, enterprise)
        or is_member(access, enterprise)
    )


def may_read_notes(access: Access, enterprise: Enterprise) -> bool:
    return access.is_system or access.has_any(SEES_ALL) or in_portfolio(access, enterprise)


def may_write_note(access: Access, enterprise: Enterprise) -> bool:
    return access.has_any(MANAGERS) or in_portfolio(access, enterprise)


def may_see_risk(access: Access, enterprise: Enterprise | None = None) -> bool:
    if access.is_system or access.has_any(MANAGERS):
        return True
    return enterprise is not None and in_portfolio(access, enterprise)


def may_log_visit(access: Access, enterprise: Enterprise) -> bool:
    return access.has_any(ADMINS) or in_portfolio(access, enterprise)


def may_pull_in_departments(access: Access, enterprise: Enterprise) -> bool:
    """The case rules decide again per case (the butler must be handling it)."""
    return access.has_any(MANAGERS) or in_portfolio(access, enterprise)


def can_assign(access: Access) -> bool:
    return access.has_any(MANAGERS)


def can_plan(access: Access) -> bool:
    return access.has_any(MANAGERS)


def can_see_overdue(access: Access) -> bool:
    return access.has_any(MANAGERS | {Role.BUTLER})


def can_see_watchlist(access: Access) -> bool:
    return access.has_any(MANAGERS)
