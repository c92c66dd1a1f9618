"""Who may do what with e-bike charging.

- Repeat addresses: whoever works on residential buildings and their cases, that is
  administrators, leaders, grid workers and residents' committee staff; each sees the cases
  the case engine lets them see (``Case.objects.visible_to``).
- Charging coverage and the what-if of a new site: administrators (the planners) and the staff
  who work on residential buildings, for the buildings they see
  (``ResidentialBuilding.objects.visible_to``).
- Setting up the case categories: administrators.
"""

from __future__ import annotations

from linli.core import navigation
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.people.rules import committees_of, grids_of


def may_see_reports(access: Access) -> bool:
    return (
        access.has_any(ADMINS | {Role.LEADER})
        or bool(grids_of(access))
        or bool(committees_of(access))
    )


def may_plan(access: Access) -> bool:
    return access.has_any(ADMINS) or bool(grids_of(access)) or bool(committees_of(access))


def may_set_up(access: Access) -> bool:
    return access.has_any(ADMINS)


navigation.gate("charging:repeats", may_see_reports)
navigation.gate("charging:coverage", may_plan)
