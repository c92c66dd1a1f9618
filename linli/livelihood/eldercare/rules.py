"""Who sees and changes elderly care.

Health details (grade, assessment, cognitive impairment) are sensitive (PIPL art. 28): only
care roles see them.

- Sub-district administrators: every elder of the sub-district.
- Residents' committee staff (``people.rules.committees_of``): the elders living in their
  committee's quarters; they open files, record assessments and request and approve orders.
- A caregiver (membership at a provider): the orders of their provider that are in force and
  their visits, which show the elder's name, address, the slots and the grade on the order —
  never the file, the contacts or the assessments.
- Leaders: the statistics only (read with ``STATISTICS``), which count orders and hours, never
  name an elder.
Everyone else sees nothing of elderly care.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.livelihood.eldercare.models import (
    ACTIVE,
    Assessment,
    CareOrder,
    CareVisit,
    ElderFile,
    EmergencyContact,
)
from linli.people.models import Person
from linli.people.rules import committees_of

HOME = "dwelling__unit__building__quarter__committee_id__in"
# The action the statistics read orders and visits with: leaders count them all.
STATISTICS = "statistics"


def providers_of(access: Access) -> set[int]:
    """The provider organisations the person works for as a caregiver."""
    return {
        m.organisation_id
        for m in access.memberships
        if m.role == Role.CAREGIVER and m.organisation_id is not None
    }


def is_care_staff(access: Access) -> bool:
    """Administrators and committee staff: the file, assessments and orders of their elders."""
    return access.has_any(ADMINS) or bool(committees_of(access))


def is_caregiver(access: Access) -> bool:
    return bool(providers_of(access))


def may_read_statistics(access: Access) -> bool:
    """The figures count the orders the reader sees: care staff, and leaders (every order)."""
    return is_care_staff(access) or access.has_any({Role.LEADER})


def _counts_everything(access: Access, action: str) -> bool:
    return action == STATISTICS and access.has_any({Role.LEADER})


navigation.gate("eldercare:elders", is_care_staff)
navigation.gate("eldercare:care_homes", is_care_staff)
navigation.gate("eldercare:hours", lambda access: is_care_staff(access) or is_caregiver(access))
navigation.gate("eldercare:today", is_caregiver)
navigation.gate("eldercare:statistics", may_read_statistics)


def staff_persons(access: Access) -> Condition:
    """The persons whose health details the reader may see: their elders as care staff."""
    if access.has_any(ADMINS):
        return True
    committees = committees_of(access)
    return Q(**{HOME: sorted(committees)}) if committees else False


@visibility.policy(ElderFile)
@visibility.policy(Assessment)
def health(access: Access, action: str) -> Condition:
    return visibility.through(staff_persons(access), "person")


@visibility.policy(EmergencyContact)
def contacts(access: Access, action: str) -> Condition:
    return visibility.through(staff_persons(access), "elder__person")


@visibility.policy(CareOrder)
def orders(access: Access, action: str) -> Condition:
    """Care staff: their elders' orders; a caregiver: their provider's orders in force, to read;
    a leader: every order, to count."""
    if _counts_everything(access, action):
        return True
    mine: Condition = False
    providers = providers_of(access)
    if providers and action in ("view", STATISTICS):
        mine = Q(provider_id__in=sorted(providers), status__in=ACTIVE)
    return visibility.either(visibility.through(staff_persons(access), "person"), mine)


@visibility.policy(CareVisit)
def visits(access: Access, action: str) -> Condition:
    """As their order; a caregiver also checks in and out (``change``) of their provider's."""
    if _counts_everything(access, action):
        return True
    staff = visibility.through(staff_persons(access), "order__person")
    providers = providers_of(access)
    mine: Condition = False
    if providers:
        mine = Q(order__provider_id__in=sorted(providers), order__status__in=ACTIVE)
    return visibility.either(staff, mine)


def may_manage(access: Access, person: Person) -> bool:
    """Open the file, record assessments, request and decide orders: the elder's care staff."""
    condition = staff_persons(access)
    if condition is True or condition is False:
        return condition
    return Person.objects.filter(condition, pk=person.pk).exists()


def may_check(access: Access, visit: CareVisit) -> bool:
    """Check in and out: a caregiver of the order's provider."""
    return visit.order.provider_id in providers_of(access)


def may_unmask_contact(access: Access, contact: object) -> bool:
    if not isinstance(contact, EmergencyContact):
        return False
    return visibility.allows(access, contact, "change")
