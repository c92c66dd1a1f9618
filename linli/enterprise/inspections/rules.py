"""Who may do what with joint inspections.

- Department handlers (a handler membership in an inspecting organisation: a department of
  the sub-district, or an outside agency such as the market-regulation office) plan their
  department's inspections, cancel them, see the visits their department takes part in, and
  record their department's results.
- The coordinators (sub-district administrators and leaders) see every plan, merge plans into
  joint visits, schedule the visits, and may record a result on a department's behalf.
- Staff may read one enterprise's inspection summary; the spared-visits list and the totals per
  department are the coordinators'.

What a person may read is one visibility policy per model, read by pages, API, the Excel
exports and the enterprise timeline through ``Model.objects.visible_to(access, action)``:

- ``view``: the inspection work: every plan and visit for the coordinators, a handler's
  department's plans and the visits it takes part in;
- ``history``: what an enterprise went through (its summary page and timeline): staff, for the
  enterprises they see in full (the registry's ``view_full`` audience), and the work above.

What may be done now with a plan or a visit (``plan_actions``, ``visit_actions``) comes from
the same rules and refusals (``*_refused``) the verbs check.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.visibility import Condition
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.registry.models import Enterprise

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


navigation.gate("inspections:plans", may_use)


def departments(access: Access) -> models.QuerySet[Organisation]:
    """The departments the actor may plan for."""
    found = Organisation.objects.visible_to(access).filter(kind__in=INSPECTING_KINDS)
    if is_coordinator(access):
        return found
    return found.filter(pk__in=own_departments(access))


def may_plan_for(access: Access, department: Organisation) -> bool:
    return department.kind in INSPECTING_KINDS and (
        is_coordinator(access) or department.pk in own_departments(access)
    )


def may_record(access: Access, plan: InspectionPlan) -> bool:
    return may_plan_for(access, plan.department)


def may_see_summary(access: Access) -> bool:
    return access.has_any(STAFF)


def _history(access: Access) -> Condition:
    """Rows about the enterprises a member of staff sees in full."""
    if not may_see_summary(access):
        return False
    enterprises = visibility.condition_for(access, Enterprise, "view_full")
    return visibility.through(enterprises, "enterprise")


@visibility.policy(InspectionPlan)
def plans(access: Access, action: str) -> Condition:
    mine = sorted(own_departments(access))
    if is_coordinator(access):
        work: Condition = True
    else:
        work = models.Q(department_id__in=mine) if mine else False
    if action == "history":
        return visibility.either(work, _history(access))
    return work


@visibility.policy(JointVisit)
def visits(access: Access, action: str) -> Condition:
    if is_coordinator(access):
        work: Condition = True
    elif mine := sorted(own_departments(access)):
        taking_part = InspectionPlan.objects.filter(department_id__in=mine)
        work = models.Q(pk__in=taking_part.values("joint_visit_id"))
    else:
        work = False
    if action == "history":
        return visibility.either(work, _history(access))
    return work


@visibility.policy(InspectionResult)
def results(access: Access, action: str) -> Condition:
    return visibility.through(plans(access, action), "plan")


def _recorded(plan: InspectionPlan) -> bool:
    # ``plan.results`` is prefetched on the lists: asking ``all()`` reads no more rows.
    return bool(list(plan.results.all()))


def cancel_refused(plan: InspectionPlan) -> str | None:
    """Why the plan cannot be cancelled now, or None."""
    if plan.status == InspectionPlan.Status.CANCELLED:
        return _("This plan is already cancelled.")
    if _recorded(plan):
        return _("The result of this inspection is recorded: it cannot be cancelled.")
    return None


def record_refused(plan: InspectionPlan) -> str | None:
    """Why no result can be recorded for the plan now, or None."""
    visit = plan.joint_visit
    if plan.status != InspectionPlan.Status.PLANNED or visit is None:
        return _("This plan is not part of a visit: merge the plans first.")
    if visit.status == JointVisit.Status.CANCELLED:
        return _("This visit is cancelled.")
    if _recorded(plan):
        return _("This department's result is already recorded.")
    return None


def schedule_refused(visit: JointVisit) -> str | None:
    """Why the visit cannot be (re)scheduled now, or None."""
    if visit.status != JointVisit.Status.SCHEDULED:
        return _("Only a visit still to be made can be rescheduled.")
    return None


def plan_actions(access: Access, plan: InspectionPlan) -> frozenset[str]:
    """What the person may do with the plan now: ``cancel``, ``record`` (its result)."""
    if not may_plan_for(access, plan.department):
        return frozenset()
    found = set()
    if cancel_refused(plan) is None:
        found.add("cancel")
    if may_record(access, plan) and record_refused(plan) is None:
        found.add("record")
    return frozenset(found)


def visit_actions(access: Access, visit: JointVisit) -> frozenset[str]:
    """What the person may do with the visit now: ``schedule`` (fix its date)."""
    if is_coordinator(access) and schedule_refused(visit) is None:
        return frozenset({"schedule"})
    return frozenset()
