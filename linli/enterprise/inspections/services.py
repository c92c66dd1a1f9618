"""Joint-inspection verbs: plan an inspection, cancel it, merge plans into joint visits,
schedule a visit, record a department's result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel
from linli.cases.services import submit_case
from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.messaging import notify
from linli.core.models import Membership, Organisation, Subdistrict
from linli.core.roles import Role
from linli.enterprise.inspections import rules
from linli.enterprise.inspections.merging import common_window
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.registry.models import Enterprise

# A plan further ahead than this is not a plan but a wish; it also keeps typos (2062) out.
LONGEST_WINDOW_DAYS = 366


@dataclass
class MergeReport:
    visits_created: int = 0
    plans_merged: int = 0


def today() -> dt.date:
    return clock.today()


def _first_workday(subdistrict: Subdistrict, start: dt.date, end: dt.date) -> dt.date:
    calendar = WorkCalendar.for_subdistrict(subdistrict)
    return next(iter(calendar.workdays(start, end)), start)


def plan_inspection(
    *,
    actor: Access,
    enterprise: Enterprise | None,
    department: Organisation | None,
    subject: str,
    window_start: dt.date | None,
    window_end: dt.date | None,
    matters: str = "",
    inspectors: str = "",
) -> InspectionPlan:
    """A department plans to inspect an enterprise within a window; the plan joins a joint
    visit straight away when another department's plan shares its period."""
    errors: dict[str, list[str]] = {}
    if department is None:
        errors["department"] = [_("Choose the department that inspects.")]
    elif department.kind not in rules.INSPECTING_KINDS:
        errors["department"] = [_("This organisation does not inspect enterprises.")]
    elif not rules.may_plan_for(actor, department):
        raise PermissionDenied(_("You can only plan inspections for your own department."))
    if enterprise is None:
        errors["enterprise"] = [_("Choose the enterprise to inspect.")]
    subject = (subject or "").strip()
    inspectors = (inspectors or "").strip()
    if not subject:
        errors["subject"] = [_("Say what the inspection is about.")]
    try:
        limits.refuse_overlong(InspectionPlan, subject=subject, inspectors=inspectors)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if window_start is None:
        errors["window_start"] = [_("Give the first day of the planned window.")]
    if window_end is None:
        errors["window_end"] = [_("Give the last day of the planned window.")]
    if window_start and window_end:
        if window_end < window_start:
            errors["window_end"] = [_("The window cannot end before it starts.")]
        elif (window_end - window_start).days > LONGEST_WINDOW_DAYS:
            errors["window_end"] = [_("A planned window can be at most a year long.")]
    if errors:
        raise ValidationError(errors)
    assert enterprise is not None and department is not None  # noqa: S101 - checked above
    assert window_start is not None and window_end is not None  # noqa: S101 - checked above
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            department=department,
            subject=subject,
            matters=(matters or "").strip(),
            window_start=window_start,
            window_end=window_end,
            inspectors=inspectors,
            created_by=actor.user,
        )
        audit.record(actor, "inspections.plan.create", plan, after=audit.snapshot(plan))
        _merge(actor, InspectionPlan.objects.filter(enterprise=enterprise))
    plan.refresh_from_db()
    return plan


def merge_plans(*, actor: Access, enterprise: Enterprise | None = None) -> MergeReport:
    """Put every planned inspection not yet in a visit into one: an open visit of the same
    enterprise whose window it shares, or a new one. Running it again changes nothing."""
    actor.require(rules.is_coordinator(actor))
    plans = InspectionPlan.objects.all()
    if enterprise is not None:
        plans = plans.filter(enterprise=enterprise)
    with transaction.atomic():
        report = _merge(actor, plans)
        if report.plans_merged:
            audit.record(
                actor,
                "inspections.plan.merge",
                object_type="inspections.jointvisit",
                note=f"{report.plans_merged} plans, {report.visits_created} new visits",
            )
    return report


def _open_visits(enterprise_id: int) -> list[JointVisit]:
    """Visits that can still take a department: scheduled and with no result recorded yet."""
    return list(
        JointVisit.objects.filter(enterprise_id=enterprise_id, status=JointVisit.Status.SCHEDULED)
        .exclude(plans__results__isnull=False)
        .order_by("scheduled_on", "id")
    )


def _merge(actor: Access, plans: QuerySet[InspectionPlan]) -> MergeReport:
    report = MergeReport()
    waiting = list(
        plans.filter(status=InspectionPlan.Status.PLANNED, joint_visit__isnull=True).order_by(
            "enterprise_id", "window_start", "id"
        )
    )
    visits: dict[int, list[JointVisit]] = {}
    for plan in waiting:
        if plan.enterprise_id not in visits:
            visits[plan.enterprise_id] = _open_visits(plan.enterprise_id)
        window = (plan.window_start, plan.window_end)
        for visit in visits[plan.enterprise_id]:
            shared = common_window([(visit.window_start, visit.window_end), window])
            if shared is not None:
                _fit(visit, shared)
                break
        else:
            visit = JointVisit.objects.create(
                subdistrict=plan.subdistrict,
                enterprise_id=plan.enterprise_id,
                window_start=plan.window_start,
                window_end=plan.window_end,
                scheduled_on=_first_workday(plan.subdistrict, plan.window_start, plan.window_end),
            )
            visits[plan.enterprise_id].append(visit)
            report.visits_created += 1
        plan.joint_visit = visit
        plan.save(update_fields=["joint_visit"])
        report.plans_merged += 1
    return report


def _fit(visit: JointVisit, window: tuple[dt.date, dt.date]) -> None:
    """Narrow a visit to a new common window, moving its date into it if it fell outside."""
    visit.window_start, visit.window_end = window
    if not window[0] <= visit.scheduled_on <= window[1]:
        visit.scheduled_on = _first_workday(visit.subdistrict, *window)
    visit.save(update_fields=["window_start", "window_end", "scheduled_on"])


def cancel_plan(plan: InspectionPlan, *, actor: Access) -> InspectionPlan:
    """Withdraw a plan. If it was merged, it leaves its visit: the visit's window widens back to
    what the remaining plans share, and a visit with no plan left is cancelled."""
    actor.require(rules.may_plan_for(actor, plan.department))
    if refused := rules.cancel_refused(plan):
        raise ValidationError(refused)
    with transaction.atomic():
        before = audit.snapshot(plan)
        visit = plan.joint_visit
        plan.status = InspectionPlan.Status.CANCELLED
        plan.joint_visit = None
        plan.save(update_fields=["status", "joint_visit"])
        audit.record(
            actor, "inspections.plan.cancel", plan, before=before, after=audit.snapshot(plan)
        )
        if visit is not None:
            _refit(visit)
    return plan


def _refit(visit: JointVisit) -> None:
    remaining = list(visit.plans.filter(status=InspectionPlan.Status.PLANNED))
    if not remaining:
        visit.status = JointVisit.Status.CANCELLED
        visit.save(update_fields=["status"])
        return
    window = common_window([(p.window_start, p.window_end) for p in remaining])
    if window is not None:
        _fit(visit, window)
    _close_if_complete(visit)


def schedule_visit(visit: JointVisit, *, actor: Access, on: dt.date | None) -> JointVisit:
    """The coordinator fixes the visit's date, inside the window every department accepted."""
    actor.require(rules.is_coordinator(actor))
    if refused := rules.schedule_refused(visit):
        raise ValidationError(refused)
    if on is None:
        raise ValidationError({"scheduled_on": [_("Give the date of the visit.")]})
    if not visit.window_start <= on <= visit.window_end:
        raise ValidationError(
            {
                "scheduled_on": [
                    _("Choose a date between %(start)s and %(end)s: every department accepted it.")
                    % {"start": visit.window_start, "end": visit.window_end}
                ]
            }
        )
    with transaction.atomic():
        before = audit.snapshot(visit)
        visit.scheduled_on = on
        visit.save(update_fields=["scheduled_on"])
        audit.record(
            actor, "inspections.visit.schedule", visit, before=before, after=audit.snapshot(visit)
        )
        handlers = Membership.objects.filter(
            role=Role.HANDLER,
            organisation_id__in=visit.plans.filter(status=InspectionPlan.Status.PLANNED).values(
                "department_id"
            ),
        ).select_related("user")
        notify(
            [m.user for m in handlers],
            visit.subdistrict,
            title=_("Joint visit to %(enterprise)s on %(date)s")
            % {"enterprise": visit.enterprise, "date": on},
            url=reverse("inspections:visit", kwargs={"pk": visit.pk}),
        )
    return visit


def record_result(
    plan: InspectionPlan,
    *,
    actor: Access,
    outcome: str,
    notes: str = "",
    category: Category | None = None,
) -> InspectionResult:
    """A department records what it found. Follow-up with a category opens a case about the
    enterprise. The visit is done once every participating department has recorded."""
    actor.require(rules.may_record(actor, plan))
    if refused := rules.record_refused(plan):
        raise ValidationError(refused)
    visit = plan.joint_visit
    assert visit is not None  # noqa: S101 - record_refused says so otherwise
    errors: dict[str, list[str]] = {}
    notes = (notes or "").strip()
    if outcome not in InspectionResult.Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    elif outcome != InspectionResult.Outcome.PASSED and not notes:
        errors["notes"] = [_("Describe what was found.")]
    if category is not None and outcome != InspectionResult.Outcome.FOLLOW_UP:
        errors["category"] = [_("Only a follow-up opens a case.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case: Case | None = None
        if category is not None:
            case = submit_case(
                actor=actor,
                category=category,
                channel=Channel.INSPECTION,
                title=_("Inspection follow-up: %(subject)s") % {"subject": plan.subject},
                description=notes,
                enterprise=plan.enterprise,
            )
        result = InspectionResult.objects.create(
            subdistrict=plan.subdistrict,
            plan=plan,
            outcome=outcome,
            notes=notes,
            case=case,
            recorded_by=actor.user,
        )
        audit.record(actor, "inspections.result.record", result, after=audit.snapshot(result))
        _close_if_complete(visit)
    return result


def _close_if_complete(visit: JointVisit) -> None:
    active = visit.plans.filter(status=InspectionPlan.Status.PLANNED)
    if active.exists() and not active.filter(results__isnull=True).exists():
        visit.status = JointVisit.Status.DONE
        visit.visited_on = today()
        visit.save(update_fields=["status", "visited_on"])
