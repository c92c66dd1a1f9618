"""Who sees and handles group rentals.

- Sub-district administrators, leaders and the handlers of a department (the housing office
  房管办, city management 城管, the police station… take part in the joint enforcement): the
  whole sub-district.
- Residents' committee staff: the dwellings of their committee's quarters.
- Grid workers: the dwellings of their grid (they record patrol leads, inspect and re-inspect).
- Everyone else (window staff, butlers, residents, enterprises, care roles): nothing.

Notices, joint enforcement and certification are the departments' and administrators' acts;
leads, inspections and re-inspections are also the grid workers' and committees' work.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.governance.rentals.models import (
    Certification,
    Enforcement,
    GroupRental,
    Inspection,
    RectificationNotice,
    ReInspection,
    Room,
)
from linli.people.rules import committees_of, grids_of


def in_department(access: Access) -> bool:
    """A handler of a department (not of a neighbourhood committee)."""
    return any(
        m.role == Role.HANDLER
        and m.organisation is not None
        and m.organisation.kind == Organisation.Kind.DEPARTMENT
        for m in access.memberships
    )


def whole_subdistrict(access: Access) -> bool:
    return access.has_any(ADMINS | {Role.LEADER}) or in_department(access)


def may_see_rentals(access: Access) -> bool:
    return whole_subdistrict(access) or bool(grids_of(access)) or bool(committees_of(access))


def may_act(access: Access) -> bool:
    """Notices, enforcement, the statistics export: administrators and departments."""
    return access.has_any(ADMINS) or in_department(access)


def may_certify(access: Access) -> bool:
    return access.has_any(ADMINS)


navigation.gate("rentals:list", may_see_rentals)


def dwellings_condition(access: Access, path: str) -> Condition:
    """The dwellings (through ``path`` to a ``people.Dwelling``) the person works on."""
    if whole_subdistrict(access):
        return True
    committees, grids = committees_of(access), grids_of(access)
    building = f"{path}__unit__building" if path else "unit__building"
    return visibility.either(
        Q(**{f"{building}__quarter__committee_id__in": sorted(committees)})
        if committees
        else False,
        Q(**{f"{building}__grid_id__in": sorted(grids)}) if grids else False,
    )


@visibility.policy(GroupRental)
def files(access: Access, action: str) -> Condition:
    return dwellings_condition(access, "dwelling")


@visibility.policy(Inspection)
@visibility.policy(RectificationNotice)
@visibility.policy(Enforcement)
@visibility.policy(ReInspection)
def file_parts(access: Access, action: str) -> Condition:
    return visibility.through(files(access, action), "group_rental")


@visibility.policy(Room)
def rooms(access: Access, action: str) -> Condition:
    return visibility.through(files(access, action), "inspection__group_rental")


@visibility.policy(Certification)
def certifications(access: Access, action: str) -> Condition:
    if whole_subdistrict(access):
        return True
    committees = committees_of(access)
    return Q(quarter__committee_id__in=sorted(committees)) if committees else False


def may_record_lead(access: Access) -> bool:
    return may_see_rentals(access)


def may_inspect(access: Access, group_rental: GroupRental) -> bool:
    """A lead is inspected (again, after a failed re-inspection)."""
    return group_rental.stage == GroupRental.Stage.LEAD and visibility.allows(
        access, group_rental, "change"
    )


def may_issue_notice(access: Access, group_rental: GroupRental) -> bool:
    return (
        may_act(access)
        and group_rental.stage == GroupRental.Stage.INSPECTED
        and visibility.allows(access, group_rental, "change")
    )


def may_record_enforcement(access: Access, group_rental: GroupRental) -> bool:
    return (
        may_act(access)
        and group_rental.stage == GroupRental.Stage.NOTICE
        and visibility.allows(access, group_rental, "change")
    )


def may_reinspect(access: Access, group_rental: GroupRental) -> bool:
    return group_rental.stage in (
        GroupRental.Stage.ENFORCEMENT,
        GroupRental.Stage.REINSPECTION,
    ) and visibility.allows(access, group_rental, "change")


def may_sweep(access: Access) -> bool:
    """The overdue sweep: the scheduled job (the system)."""
    return access.is_system
