"""Who may do what in the Park Assistant.

- A building manager runs the portal of the buildings their memberships name; administrators
  may stand in for any building of their sub-district (to help a manager, or before one is
  appointed). Everybody else gets 404 for a building's manager pages: they do not exist for them.
- An enterprise member sees the notices addressed to their own enterprise, files requests for
  it and follows them.

What a person may read is one visibility policy per model, read by the pages, the API and the
export through ``Model.objects.visible_to(access, action)``:

- ``manage``: the rows of the buildings one manages (notices with their recipients and
  receipts, requests);
- ``view``: those, and what concerns the enterprises one is a member of: the registry's
  ``view_full`` audience of an enterprise (its own business), as a portal user. A member reads
  the receipts they left themselves.
"""

from __future__ import annotations

from django.db import models

from linli.core import visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt, NoticeRecipient
from linli.registry.models import Building, Enterprise

MANAGERS = ADMINS | {Role.BUILDING_MANAGER}
MEMBERS = frozenset({Role.ENTERPRISE_MEMBER})
PORTAL = MANAGERS | MEMBERS


def may_use_portal(access: Access) -> bool:
    return access.has_any(PORTAL)


def is_manager(access: Access) -> bool:
    return access.has_any(MANAGERS)


def _managed(access: Access) -> Condition:
    """The buildings one runs the portal of, as a condition on buildings."""
    if access.has_any(ADMINS):
        return True
    if access.has_any({Role.BUILDING_MANAGER}):
        return models.Q(pk__in=sorted(access.linked_ids("building")))
    return False


def managed_buildings(access: Access) -> models.QuerySet[Building]:
    """The buildings one runs the portal of, among those one may see."""
    buildings = Building.objects.visible_to(access)
    condition = _managed(access)
    if condition is True:
        return buildings
    if condition is False:
        return buildings.none()
    return buildings.filter(condition)


def may_manage(access: Access, building: Building) -> bool:
    return access.has_any(ADMINS) or (
        access.has_any({Role.BUILDING_MANAGER}) and building.pk in access.linked_ids("building")
    )


def _members_enterprises(access: Access) -> Condition:
    """The enterprises whose business a portal member may read (the registry's audience)."""
    if not access.has_any(MEMBERS):
        return False
    return visibility.condition_for(access, Enterprise, "view_full")


@visibility.policy(Notice)
def notices(access: Access, action: str) -> Condition:
    managed = visibility.through(_managed(access), "building")
    if action == "manage":
        return managed
    enterprises = _members_enterprises(access)
    if isinstance(enterprises, bool):
        return visibility.either(managed, enterprises)
    addressed = NoticeRecipient.objects.filter(visibility.through(enterprises, "enterprise"))
    return visibility.either(managed, models.Q(pk__in=addressed.values("notice_id")))


@visibility.policy(NoticeRecipient)
def recipients(access: Access, action: str) -> Condition:
    managed = visibility.through(_managed(access), "notice__building")
    if action == "manage":
        return managed
    return visibility.either(
        managed, visibility.through(_members_enterprises(access), "enterprise")
    )


@visibility.policy(NoticeReceipt)
def receipts(access: Access, action: str) -> Condition:
    managed = visibility.through(_managed(access), "notice__building")
    if action == "manage" or access.user is None:
        return managed
    return visibility.either(managed, models.Q(user_id=access.user.pk))


@visibility.policy(BuildingRequest)
def building_requests(access: Access, action: str) -> Condition:
    managed = visibility.through(_managed(access), "building")
    if action == "manage":
        return managed
    return visibility.either(
        managed, visibility.through(_members_enterprises(access), "enterprise")
    )


def own_enterprises(access: Access) -> models.QuerySet[Enterprise]:
    """The enterprises the person acts for (only as an enterprise member)."""
    ids = {
        m.enterprise_id
        for m in access.memberships
        if m.role == Role.ENTERPRISE_MEMBER and m.enterprise_id is not None
    }
    return Enterprise.objects.filter(pk__in=ids)


def may_file_for(access: Access, enterprise: Enterprise) -> bool:
    return own_enterprises(access).filter(pk=enterprise.pk).exists()


def request_actions(access: Access, request: BuildingRequest) -> frozenset[str]:
    """What the person may do with the request now (the rule and the state the verbs check):
    a manager of its building forwards or answers an open request."""
    if request.status != BuildingRequest.Status.OPEN:
        return frozenset()
    if not may_manage(access, request.building):
        return frozenset()
    return frozenset({"forward", "decline"})
