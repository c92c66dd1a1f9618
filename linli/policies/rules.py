"""Who may see which policy decisions, and who may act on them.

The library is public knowledge: everyone in the sub-district may read it. What it decides
about an enterprise (amounts follow from its tax and revenue) is the enterprise's business:
its own members see their enterprise, a butler sees the enterprises of their portfolio, other
staff see all of the sub-district. The tenant scope already hides other sub-districts.
"""

from __future__ import annotations

from django.db import models

from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role

# Staff who work across the whole sub-district; a butler works on a portfolio.
SEES_ALL = STAFF - {Role.BUTLER}
SCREENERS = ADMINS | {Role.LEADER}
UNCLAIMED_VIEWERS = ADMINS | {Role.LEADER, Role.BUTLER}


def can_view_library(access: Access) -> bool:
    return access.has_any(EVERYONE)


def sees_all_enterprises(access: Access) -> bool:
    return access.has_any(SEES_ALL)


def can_view_decisions(access: Access) -> bool:
    """Someone who sees at least one enterprise's decisions."""
    return access.has_any(SEES_ALL | {Role.BUTLER, Role.ENTERPRISE_MEMBER})


def can_list_eligible(access: Access) -> bool:
    """The list of a policy's eligible enterprises (and its export) is staff's."""
    return access.has_any(STAFF)


def can_screen(access: Access) -> bool:
    return access.has_any(SCREENERS)


def can_view_unclaimed(access: Access) -> bool:
    return access.has_any(UNCLAIMED_VIEWERS)


def enterprise_filter(access: Access, prefix: str = "") -> models.Q:
    """The enterprises the person may see, as a filter on enterprises (or, with
    ``prefix="enterprise__"``, on rows that belong to one)."""
    if access.is_system or sees_all_enterprises(access):
        return models.Q()
    condition = models.Q(**{f"{prefix}pk__in": sorted(access.linked_ids("enterprise"))})
    if access.has_any({Role.BUTLER}) and access.user is not None:
        condition |= models.Q(**{f"{prefix}butler_id": access.user.pk})
    return condition


def may_view_enterprise(access: Access, enterprise: models.Model) -> bool:
    if access.is_system or sees_all_enterprises(access):
        return True
    if enterprise.pk in access.linked_ids("enterprise"):
        return True
    user = access.user
    return (
        access.has_any({Role.BUTLER})
        and user is not None
        and getattr(enterprise, "butler_id", None) == user.pk
    )


def may_apply(access: Access, enterprise: models.Model) -> bool:
    """The enterprise's own people apply; its butler may apply on its behalf (帮办)."""
    if enterprise.pk in access.linked_ids("enterprise"):
        return True
    user = access.user
    return (
        access.has_any({Role.BUTLER})
        and user is not None
        and getattr(enterprise, "butler_id", None) == user.pk
    )


def may_record_fact(access: Access, enterprise: models.Model) -> bool:
    """Facts can trigger a grant without any application, so they come from data feeds (the
    system), administrators, or the enterprise's butler, never from the enterprise itself."""
    if access.is_system or access.has_any(ADMINS):
        return True
    user = access.user
    return (
        access.has_any({Role.BUTLER})
        and user is not None
        and getattr(enterprise, "butler_id", None) == user.pk
    )
