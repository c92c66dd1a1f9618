"""Who may do what with joint inspections.

- Department handlers (a handler membership in an inspecting organisation: a department of
  the sub-district, or an outside agency such as the market-regulation office) plan their
  department's inspections, cancel them, see the visits their department takes part in, and
  record their department's results.
- The coordinators (sub-district administrators and leaders) see every plan, merge plans into
  joint visits, schedule the visits, and may record a result on a department's behalf.
- Staff may read one enterprise's inspection summary; the spared-visits list and the totals per
  department are the coordinators'.
"""

from __future__ import annotations

from django.db import models

from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, STAFF, Role
from linli.enterprise.inspections.models import InspectionPlan, JointVisit

COORDINATORS = ADMINS | {Role.LEADER}
# The sub-district's own departments and the line agencies stationed in it (market regulation,
# fire and rescue, tax, urban management) both inspect enterprises.
INSPECTING_KINDS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.AGENCY)


def is_coordinator(access: Access) -> bool:
    return access.has_any(COORDINATORS)


def own_departments(access: Access) -> set[int]:
    return {
        m.organisation.pk
        for m in access.memberships
        if m.role == Role.HANDLER
        and m.organisation is not None
        and m.organisation.kind in INSPECTING_KINDS
    }


def may_use(access: Access) -> bool:
    return is_coordinator(access) or bool(own_departments(access))


def departments(access: Access) -> models.QuerySet[Organisation]:
    """The departments the actor may plan for."""
    found = Organisation.objects.filter(kind__in=INSPECTING_KINDS)
    if is_coordinator(access):
        return found
    return found.filter(pk__in=own_departments(access))


def may_plan_for(access: Access, department: Organisation) -> bool:
    return department.kind in INSPECTING_KINDS and (
        is_coordinator(access) or department.pk in own_departments(access)
    )


def visible_plans(access: Access) -> models.QuerySet[InspectionPlan]:
    plans = InspectionPlan.objects.all()
    if is_coordinator(access):
        return plans
    return plans.filter(department_id__in=own_departments(access))


def visible_visits(access: Access) -> models.QuerySet[JointVisit]:
    visits = JointVisit.objects.all()
    if is_coordinator(access):
        return visits
    mine = InspectionPlan.objects.filter(department_id__in=own_departments(access))
    return visits.filter(pk__in=mine.values("joint_visit_id"))


def may_record(access: Access, plan: InspectionPlan) -> bool:
    return may_plan_for(access, plan.department)


def may_see_summary(access: Access) -> bool:
    return access.has_any(STAFF)
