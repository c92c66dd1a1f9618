"""Who may see and change the registry.

Staff see their sub-district's registry, except that a butler's enterprises are their
portfolio. Building managers see their own building and its enterprises (basic data only).
Enterprise members see their own enterprise. Residents and everybody else see facilities.

Quarters and buildings are public places, too, for finding them on a map (``locate``: the map's
place search reads their name, address and point only, never their figures): everybody in the
sub-district may locate them.

"Which enterprises may this person see" is defined here once (``enterprises``) and read by
every app that lists enterprises or rows about one (profiles, policy decisions, visits…)
through ``Enterprise.objects.visible_to(access, action)`` or ``visibility.through``:

- ``view``: the enterprise's basic registry data (a building manager sees their building's);
- ``view_full``: contacts, figures, timeline, policy results: the enterprise's own business,
  for the staff of the whole area, its butler and its own members.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import public_area, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.personal_data import PersonalField, register
from linli.core.roles import ADMINS, EVERYONE, STAFF, WHOLE_AREA, Role
from linli.core.rules import can_unmask
from linli.core.visibility import Condition
from linli.registry.models import (
    Building,
    BuildingTaxYear,
    Enterprise,
    EnterpriseYear,
    Facility,
    Grid,
    Quarter,
)

EDITORS = ADMINS
ENTERPRISE_EDITORS = ADMINS | {Role.BUTLER, Role.AMBASSADOR}
READERS = {
    "organisation": STAFF,
    "grid": STAFF,
    "quarter": STAFF,
    "building": STAFF | {Role.BUILDING_MANAGER},
    "enterprise": STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER},
    "facility": EVERYONE,
}


def can_view(access: Access, kind: str) -> bool:
    return access.has_any(READERS[kind])


def can_edit(access: Access, kind: str) -> bool:
    if kind == "enterprise":
        return access.has_any(ENTERPRISE_EDITORS)
    return access.has_any(EDITORS)


def can_import(access: Access) -> bool:
    return access.has_any(ADMINS)


def in_portfolio(access: Access, enterprise: Enterprise) -> bool:
    return (
        access.has_any({Role.BUTLER})
        and access.user is not None
        and enterprise.butler_id == access.user.pk
    )


@visibility.policy(Enterprise)
def enterprises(access: Access, action: str) -> Condition:
    """The enterprises a person may see: ``view`` (basic data) or ``view_full``."""
    if access.has_any(WHOLE_AREA):
        return True
    condition = visibility.either(
        models.Q(pk__in=sorted(access.linked_ids("enterprise"))),
        models.Q(butler_id=access.user.pk)
        if access.has_any({Role.BUTLER}) and access.user is not None
        else False,
        models.Q(building_id__in=sorted(access.linked_ids("building")))
        if action == "view" and access.has_any({Role.BUILDING_MANAGER})
        else False,
    )
    return condition


LOCATE = "locate"


def may_locate(access: Access) -> bool:
    """Places are located on a map (name, address, a point) by everyone in the sub-district,
    and by a signed-out visitor of its public map of reports while that map is on."""
    return access.has_any(EVERYONE) or public_area.is_visitor(access)


@visibility.policy(Building)
def buildings(access: Access, action: str) -> Condition:
    if action == LOCATE:
        return may_locate(access)
    if access.has_any(STAFF):
        return True
    if access.has_any({Role.BUILDING_MANAGER}):
        return models.Q(pk__in=sorted(access.linked_ids("building")))
    return False


@visibility.policy(BuildingTaxYear)
def building_tax_years(access: Access, action: str) -> Condition:
    return visibility.through(buildings(access, "view"), "building")


@visibility.policy(EnterpriseYear)
def enterprise_years(access: Access, action: str) -> Condition:
    """An enterprise's figures by year (revenue, tax, headcount): its private business."""
    return visibility.through(enterprises(access, "view_full"), "enterprise")


@visibility.policy(Facility)
def facilities(access: Access, action: str) -> Condition:
    if action == LOCATE:
        return may_locate(access)
    return access.has_any(EVERYONE)


@visibility.policy(Organisation)
@visibility.policy(Grid)
def staff_only(access: Access, action: str) -> Condition:
    return access.has_any(STAFF)


@visibility.policy(Quarter)
def quarters(access: Access, action: str) -> Condition:
    if action == LOCATE:
        return may_locate(access)
    return access.has_any(STAFF)


def may_unmask_enterprise_contact(access: Access, enterprise: models.Model) -> bool:
    """Admins, handlers and window staff; a butler for the enterprises of their own portfolio;
    an enterprise's own members for their enterprise."""
    if not isinstance(enterprise, Enterprise):
        return False
    if can_unmask(access):
        return True
    if in_portfolio(access, enterprise):
        return True
    return enterprise.pk in access.linked_ids("enterprise")


register(
    PersonalField(
        key="enterprise.phone",
        model=Enterprise,
        cipher_field="contact_phone_cipher",
        kind="phone",
        purpose=_("Calling the enterprise's contact person back about its requests"),
        retention=_("While the enterprise is in the registry"),
        may_unmask=may_unmask_enterprise_contact,
    )
)
