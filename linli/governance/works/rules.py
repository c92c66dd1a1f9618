"""Who sees and handles sporadic works.

- Sub-district administrators, leaders and the handlers of a department (the housing office
  房管办, city management 城管): every registration of the sub-district.
- Residents' committee staff: the works in their committee's quarters.
- Grid workers: the works in their grid (they post notices, inspect, find unregistered works).
- Residents, shops and building managers (the public roles): they register works at their own
  home or premises (or a free address) and see their own registrations; they book the waste
  removal of their own works.
- Everyone else (window staff, butlers, care roles): nothing.

The public page of a registration (its site notice's QR code) is open to anyone with its token.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, PUBLIC, Role
from linli.core.visibility import Condition
from linli.governance.works.models import CheckedItem, SiteInspection, WasteRemoval, Works
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


def is_staff_of_works(access: Access) -> bool:
    """Staff who work on works: the whole sub-district, a grid or a committee's quarters."""
    return whole_subdistrict(access) or bool(grids_of(access)) or bool(committees_of(access))


def is_public(access: Access) -> bool:
    return access.has_any(PUBLIC)


def may_see_works(access: Access) -> bool:
    """The ledger: staff see their area's works, the public roles their own registrations."""
    return is_staff_of_works(access) or is_public(access)


def may_export(access: Access) -> bool:
    return is_staff_of_works(access)


def may_register(access: Access) -> bool:
    return may_see_works(access)


navigation.gate("works:list", may_see_works)


@visibility.policy(Works)
def works(access: Access, action: str) -> Condition:
    if access.is_system or whole_subdistrict(access):
        return True
    committees, grids = committees_of(access), grids_of(access)
    return visibility.either(
        Q(quarter__committee_id__in=sorted(committees)) if committees else False,
        Q(grid_id__in=sorted(grids)) if grids else False,
        Q(registered_by_id=access.user.pk) if access.user is not None else False,
    )


@visibility.policy(SiteInspection)
@visibility.policy(WasteRemoval)
def works_parts(access: Access, action: str) -> Condition:
    return visibility.through(works(access, action), "works")


@visibility.policy(CheckedItem)
def checked_items(access: Access, action: str) -> Condition:
    return visibility.through(works(access, action), "inspection__works")


def _handles(access: Access, item: Works) -> bool:
    """Staff of the works' area (the registrant alone is not enough)."""
    return is_staff_of_works(access) and visibility.allows(access, item, "change")


def may_issue_notice(access: Access, item: Works) -> bool:
    return item.stage == Works.Stage.REGISTERED and _handles(access, item)


def may_inspect(access: Access, item: Works) -> bool:
    return item.stage in (Works.Stage.NOTICE, Works.Stage.RECTIFY) and _handles(access, item)


def may_book_waste(access: Access, item: Works) -> bool:
    """Works under way: the registrant or the area's staff."""
    return item.stage in (
        Works.Stage.NOTICE,
        Works.Stage.RECTIFY,
        Works.Stage.INSPECTED,
    ) and visibility.allows(access, item, "change")


def may_complete(access: Access, item: Works) -> bool:
    """Completion is recorded once the checks allow it (``services.record_completion`` says
    what is missing): after the notice, after a passed inspection when one is needed, and for
    works found without registration once they are dealt with."""
    stages: tuple[str, ...]
    if item.needs_inspection:
        stages = (Works.Stage.INSPECTED, Works.Stage.UNREGISTERED)
    else:
        stages = (Works.Stage.NOTICE, Works.Stage.INSPECTED, Works.Stage.UNREGISTERED)
    return item.stage in stages and _handles(access, item)


def may_record_unregistered(access: Access) -> bool:
    return is_staff_of_works(access)
