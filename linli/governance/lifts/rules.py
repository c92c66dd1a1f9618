"""Who sees and records lift projects.

- Sub-district administrators and department handlers (房管, 社区管理: a handler whose
  organisation is a department): every project, to read and record.
- Residents' committee staff: the projects of their committee's quarters, to read and record.
- Leaders: every project, to read. Grid workers: the projects of their grid, to read.
- Residents and everyone else: the public progress page only (stage, dates and consent
  percentages, no name), reached through its QR code.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.governance.lifts.models import Document, Mediation, Project, StageRecord, Vote, Voter
from linli.people.models import Unit
from linli.people.rules import committees_of, grids_of


def department_handler(access: Access) -> bool:
    return any(
        m.role == Role.HANDLER
        and m.organisation is not None
        and m.organisation.kind == Organisation.Kind.DEPARTMENT
        for m in access.memberships
    )


@visibility.policy(Project)
def projects(access: Access, action: str) -> Condition:
    if access.has_any(ADMINS) or department_handler(access):
        return True
    committees = committees_of(access)
    recording: Condition = (
        Q(unit__building__quarter__committee_id__in=sorted(committees)) if committees else False
    )
    if action != "view":
        return recording
    if access.has_any({Role.LEADER}):
        return True
    grids = grids_of(access)
    return visibility.either(
        recording, Q(unit__building__grid_id__in=sorted(grids)) if grids else False
    )


@visibility.policy(StageRecord)
@visibility.policy(Voter)
@visibility.policy(Vote)
@visibility.policy(Mediation)
@visibility.policy(Document)
def project_records(access: Access, action: str) -> Condition:
    return visibility.through(projects(access, action), "project")


def may_list(access: Access) -> bool:
    return (
        access.has_any(ADMINS | {Role.LEADER, Role.GRID_WORKER})
        or department_handler(access)
        or bool(committees_of(access))
    )


def may_open(access: Access) -> bool:
    """Open a project: administrators, department handlers, committee staff."""
    return access.has_any(ADMINS) or department_handler(access) or bool(committees_of(access))


def may_open_in(access: Access, unit: Unit) -> bool:
    """Open the project of ``unit``: committee staff in their own quarters only."""
    if access.has_any(ADMINS) or department_handler(access):
        return True
    return unit.building.quarter.committee_id in committees_of(access)


def may_record(access: Access, project: Project) -> bool:
    return visibility.allows(access, project, "change")


navigation.gate("lifts:list", may_list)
