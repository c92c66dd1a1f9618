"""Food-safety verbs: register a catering establishment, grade it, generate the year's
inspections into the joint-inspection planner, order a rectification and follow it up.

Inspection results are the planner's own (``inspections.services.record_result``): a food
inspection is a plan of the market-regulation office like any other, merged into joint visits
with the other departments' plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.models import Organisation
from linli.enterprise.inspections import rules as inspection_rules
from linli.enterprise.inspections import services as inspections
from linli.enterprise.inspections.models import InspectionPlan
from linli.governance.foodsafety import rules, spreading
from linli.governance.foodsafety.models import (
    Establishment,
    Grade,
    GradeChange,
    Kind,
    Rectification,
    ScheduledInspection,
    effective_grade,
)
from linli.governance.foodsafety.parameters import RECTIFICATION_DAYS, inspections_key
from linli.registry.models import Enterprise

Errors = dict[str, list[str]]
# Plans are generated for a year that is near: a typo (2062) would plan forty years of visits.
YEARS_AHEAD = 1


@dataclass
class GenerationReport:
    establishments: int = 0
    planned: int = 0
    already_planned: int = 0


def _grading_errors(grade: str, graded_on: dt.date | None) -> Errors:
    errors: Errors = {}
    if grade not in Grade.values:
        errors["grade"] = [_("Choose a risk grade from A to D.")]
    if graded_on is None:
        errors["graded_on"] = [_("Give the date of the grading.")]
    elif graded_on > clock.today():
        errors["graded_on"] = [_("A grading cannot be dated in the future.")]
    return errors


def register_establishment(
    actor: Access,
    *,
    enterprise: Enterprise | None,
    kind: str,
    licence_number: str,
    licence_valid_until: dt.date | None,
    grade: str,
    graded_on: dt.date | None,
) -> Establishment:
    """An enterprise of the registry runs a catering business under a food business licence."""
    actor.require(rules.may_manage(actor))
    licence_number = (licence_number or "").strip()
    errors = _grading_errors(grade, graded_on)
    if enterprise is None:
        errors["enterprise"] = [_("Choose the enterprise.")]
    elif Establishment.objects.filter(enterprise=enterprise).exists():
        errors["enterprise"] = [_("This enterprise is already registered as an establishment.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose the kind of catering.")]
    if not licence_number:
        errors["licence_number"] = [_("Give the food business licence number.")]
    if licence_valid_until is None:
        errors["licence_valid_until"] = [_("Give the date the licence is valid until.")]
    try:
        limits.refuse_overlong(Establishment, licence_number=licence_number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert enterprise is not None and graded_on is not None  # noqa: S101 - checked above
    assert licence_valid_until is not None  # noqa: S101 - checked above
    with transaction.atomic():
        establishment = Establishment.objects.create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            kind=kind,
            licence_number=licence_number,
            licence_valid_until=licence_valid_until,
            grade=grade,
            graded_on=graded_on,
            graded_by=actor.user,
        )
        GradeChange.objects.create(
            subdistrict=establishment.subdistrict,
            establishment=establishment,
            grade=grade,
            graded_on=graded_on,
            graded_by=actor.user,
            reason=_("First grading"),
        )
        audit.record(
            actor,
            "foodsafety.establishment.register",
            establishment,
            after=audit.snapshot(establishment),
        )
    return establishment


def grade_establishment(
    establishment: Establishment,
    *,
    actor: Access,
    grade: str,
    graded_on: dt.date | None,
    reason: str = "",
) -> GradeChange:
    """A new risk grading. The history keeps every earlier one; inspections already generated
    for the year stay, and a re-run of the generation adds what a higher grade asks more."""
    actor.require(rules.may_manage(actor))
    reason = (reason or "").strip()
    errors = _grading_errors(grade, graded_on)
    try:
        limits.refuse_overlong(GradeChange, reason=reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert graded_on is not None  # noqa: S101 - checked above
    with transaction.atomic():
        before = audit.snapshot(establishment)
        change = GradeChange.objects.create(
            subdistrict=establishment.subdistrict,
            establishment=establishment,
            grade=grade,
            graded_on=graded_on,
            graded_by=actor.user,
            reason=reason,
        )
        establishment.grade, establishment.graded_on = grade, graded_on
        establishment.graded_by = actor.user
        establishment.save(update_fields=["grade", "graded_on", "graded_by"])
        audit.record(
            actor,
            "foodsafety.establishment.grade",
            establishment,
            before=before,
            after=audit.snapshot(establishment),
        )
    return change


def generate_inspections(
    actor: Access, *, year: int | None, department: Organisation | None
) -> GenerationReport:
    """Plan the year's inspections of every licensed establishment for ``department`` (the
    market-regulation office) in the joint-inspection planner, where they merge with other
    departments' visits.

    The number per establishment is the maximum of its effective grade (parameters
    ``foodsafety.inspections_<grade>_max``) in force on 1 January of that year, so a change
    dated later never alters a year already planned. Running it again adds only what is not
    planned yet (a higher grade's further inspections), never a second copy.
    """
    actor.require(rules.may_manage(actor))
    errors: Errors = {}
    if department is None:
        errors["department"] = [_("Choose the department that inspects.")]
    elif not inspection_rules.may_plan_for(actor, department):
        raise PermissionDenied(_("You can only plan inspections for your own department."))
    this_year = clock.today().year
    if year is None or not this_year - 1 <= year <= this_year + YEARS_AHEAD:
        errors["year"] = [
            _("Choose a year from %(first)s to %(last)s.")
            % {"first": this_year - 1, "last": this_year + YEARS_AHEAD}
        ]
    if errors:
        raise ValidationError(errors)
    assert year is not None and department is not None  # noqa: S101 - checked above
    first_day = dt.date(year, 1, 1)
    counts = {g: parameters.timeline(inspections_key(g, "max")).at(first_day) for g in Grade}
    report = GenerationReport()
    planned = set(
        ScheduledInspection.objects.filter(year=year).values_list("establishment_id", "slot")
    )
    licensed = (
        Establishment.objects.filter(licence_valid_until__gte=first_day)
        .select_related("enterprise", "subdistrict")
        .order_by("pk")
    )
    with transaction.atomic():
        for establishment in licensed:
            report.establishments += 1
            grade = effective_grade(establishment.kind, establishment.grade)
            version = counts[Grade(grade)]
            slots = spreading.windows(year, int(version.value), establishment.pk)
            for slot, (start, end) in enumerate(slots, start=1):
                if (establishment.pk, slot) in planned:
                    report.already_planned += 1
                    continue
                plan = inspections.plan_inspection(
                    actor=actor,
                    enterprise=establishment.enterprise,
                    department=department,
                    subject=_("Food safety inspection (grade %(grade)s)") % {"grade": grade},
                    matters=_("Licence on display, purchase records, staff health certificates"),
                    window_start=start,
                    window_end=end,
                )
                ScheduledInspection.objects.create(
                    subdistrict=establishment.subdistrict,
                    establishment=establishment,
                    year=year,
                    slot=slot,
                    grade=grade,
                    inspections_a_year=int(version.value),
                    parameter_version=version.pk,
                    plan=plan,
                )
                report.planned += 1
        if report.planned:
            audit.record(
                actor,
                "foodsafety.inspections.generate",
                object_type="foodsafety.scheduledinspection",
                note=f"{year}: {report.planned} planned, {report.already_planned} already",
            )
    return report


def order_rectification(
    establishment: Establishment,
    *,
    actor: Access,
    requirement: str,
    plan: InspectionPlan | None = None,
) -> Rectification:
    """After a visit, order the establishment to put something right within the working days
    of the parameter in force today, counted on the work calendar."""
    actor.require(rules.may_manage(actor))
    requirement = (requirement or "").strip()
    errors: Errors = {}
    if not requirement:
        errors["requirement"] = [_("Say what must be put right.")]
    if plan is not None and plan.enterprise_id != establishment.enterprise_id:
        errors["plan"] = [_("This inspection is not of this establishment.")]
    try:
        limits.refuse_overlong(Rectification, requirement=requirement)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    version = parameters.value(RECTIFICATION_DAYS, on=clock.local_day(now))
    days = int(version.value)
    deadline = WorkCalendar.for_subdistrict(establishment.subdistrict).add_working_days(now, days)
    with transaction.atomic():
        rectification = Rectification.objects.create(
            subdistrict=establishment.subdistrict,
            establishment=establishment,
            plan=plan,
            requirement=requirement,
            ordered_at=now,
            working_days=days,
            parameter_version=version.pk,
            deadline=deadline,
            ordered_by=actor.user,
        )
        audit.record(
            actor,
            "foodsafety.rectification.order",
            rectification,
            after=audit.snapshot(rectification),
        )
    return rectification


def follow_up_rectification(
    rectification: Rectification,
    *,
    actor: Access,
    rectified: bool,
    on: dt.date | None,
    notes: str = "",
) -> Rectification:
    """The inspector went back: the establishment put it right, or did not."""
    actor.require(rules.may_manage(actor))
    if refused := rules.follow_up_refused(rectification):
        raise ValidationError(refused)
    notes = (notes or "").strip()
    errors: Errors = {}
    if on is None:
        errors["on"] = [_("Give the date of the follow-up.")]
    elif on > clock.today():
        errors["on"] = [_("A follow-up cannot be dated in the future.")]
    elif on < clock.local_day(rectification.ordered_at):
        errors["on"] = [_("The follow-up cannot be before the order.")]
    if not rectified and not notes:
        errors["notes"] = [_("Say what is still wrong.")]
    try:
        limits.refuse_overlong(Rectification, follow_up_notes=notes)
    except ValidationError as exc:
        errors.update({"notes": exc.messages})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(rectification)
        rectification.status = (
            Rectification.Status.DONE if rectified else Rectification.Status.FAILED
        )
        rectification.followed_up_on = on
        rectification.follow_up_notes = notes
        rectification.followed_up_by = actor.user
        rectification.save(
            update_fields=["status", "followed_up_on", "follow_up_notes", "followed_up_by"]
        )
        audit.record(
            actor,
            "foodsafety.rectification.follow_up",
            rectification,
            before=before,
            after=audit.snapshot(rectification),
        )
    return rectification
