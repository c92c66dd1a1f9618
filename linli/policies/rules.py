"""Who may see which policy decisions, and who may act on them.

The library is public knowledge: everyone in the sub-district may read it. What it decides
about an enterprise (amounts follow from its tax and revenue) is the enterprise's business,
read by its full audience as the registry defines it (``Enterprise.objects.visible_to(access,
"view_full")``, ``linli/registry/rules.py``): the staff of the whole area, the butler of its
portfolio and its own members; a building manager does not see it. Decisions, grants,
applications and recorded facts follow their enterprise. The tenant scope already hides other
sub-districts.
"""

from __future__ import annotations

from django.db import models

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.core.visibility import Condition
from linli.policies.models import Application, Decision, EnterpriseFact, Grant, ScreeningRun
from linli.registry.models import Enterprise
from linli.registry.rules import in_portfolio

SCREENERS = ADMINS | {Role.LEADER}
UNCLAIMED_VIEWERS = ADMINS | {Role.LEADER, Role.BUTLER}


def enterprises(access: Access) -> Condition:
    """The enterprises whose policy results ``access`` reads: the registry's full audience."""
    return visibility.condition_for(access, Enterprise, "view_full")


@visibility.policy(Decision)
@visibility.policy(Grant)
@visibility.policy(Application)
@visibility.policy(EnterpriseFact)
def about_enterprise(access: Access, action: str) -> Condition:
    return visibility.through(enterprises(access), "enterprise")


@visibility.policy(ScreeningRun)
def screening_runs(access: Access, action: str) -> Condition:
    """A run's date and counts are shown with the library, to everyone."""
    return access.has_any(EVERYONE)


def can_view_library(access: Access) -> bool:
    return access.has_any(EVERYONE)


def can_view_decisions(access: Access) -> bool:
    """Someone who may see at least one enterprise's decisions (coarse gate of the pages)."""
    return access.has_any(STAFF | {Role.ENTERPRISE_MEMBER})


def can_list_eligible(access: Access) -> bool:
    """The list of a policy's eligible enterprises (and its export) is staff's."""
    return access.has_any(STAFF)


def can_screen(access: Access) -> bool:
    return access.has_any(SCREENERS)


def can_view_unclaimed(access: Access) -> bool:
    return access.has_any(UNCLAIMED_VIEWERS)


def can_load_library(access: Access) -> bool:
    """Loading policy files changes what every enterprise is screened against."""
    return access.is_system or access.has_any(ADMINS)


def can_revoke_grant(access: Access) -> bool:
    return access.has_any(ADMINS)


def may_apply(access: Access, enterprise: models.Model) -> bool:
    """The enterprise's own people apply; its butler may apply on its behalf (帮办)."""
    if not isinstance(enterprise, Enterprise):
        return False
    return enterprise.pk in access.linked_ids("enterprise") or in_portfolio(access, enterprise)


def may_record_fact(access: Access, enterprise: models.Model) -> bool:
    """Facts can trigger a grant without any application, so they come from data feeds (the
    system), administrators, or the enterprise's butler, never from the enterprise itself."""
    if access.is_system or access.has_any(ADMINS):
        return True
    return isinstance(enterprise, Enterprise) and in_portfolio(access, enterprise)
