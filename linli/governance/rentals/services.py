"""Group-rental verbs: record a lead, inspect, issue a notice, record joint enforcement and
re-inspections, certify a quarter, and the sweep that opens a case for what fell overdue.

Each verb checks who acts (``rules``), validates before writing (field errors, nothing half
written), runs in one transaction and writes an audit row. Rule numbers come from
``linli.core.parameters`` at the date of the act, and the act keeps the version it used.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel
from linli.cases.services import submit_case
from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.models import Organisation
from linli.governance.rentals import checks, rules
from linli.governance.rentals.models import (
    Certification,
    Enforcement,
    GroupRental,
    Inspection,
    RectificationNotice,
    ReInspection,
    Room,
)
from linli.governance.rentals.parameters import (
    MAX_PER_ROOM,
    MIN_AREA,
    NOTICE_DAYS,
    REINSPECTIONS,
)
from linli.people.models import Dwelling
from linli.registry.models import Quarter

CATEGORY_CODE = "group-rental"
NOTICE_OPENS_AT = dt.time(9, 0)


def address_of(dwelling: Dwelling) -> str:
    building = dwelling.unit.building
    return f"{building.quarter.name} {building.number} {dwelling.unit.number} {dwelling.number}"


def _text(errors: dict[str, list[str]], model: type, name: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > (limit := limits.max_length(model, name)):
        errors[name] = [limits.too_long(limit, len(value))]
    return value


def record_lead(
    dwelling: Dwelling,
    *,
    actor: Access,
    source: str,
    description: str,
    reported_on: dt.date | None = None,
    case: Case | None = None,
) -> GroupRental:
    """A lead on a dwelling: from a case (linked), a grid patrol or a property manager. One
    dwelling has at most one open file: a second lead is refused and points to the first."""
    actor.require(rules.may_record_lead(actor))
    visible = Dwelling.objects.filter(pk=dwelling.pk)
    condition = rules.dwellings_condition(actor, "")
    if condition is False or (condition is not True and not visible.filter(condition).exists()):
        actor.require(False)
    errors: dict[str, list[str]] = {}
    description = _text(errors, GroupRental, "description", description)
    reported_on = reported_on or clock.today()
    if not description:
        errors["description"] = [_("Say what was reported.")]
    if source not in GroupRental.Source.values:
        errors["source"] = [_("Choose where the lead comes from.")]
    elif source == GroupRental.Source.CASE and case is None:
        errors["case"] = [_("Give the number of the case this lead comes from.")]
    if case is not None and not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        errors["case"] = [_("There is no such case.")]
    if reported_on > clock.today():
        errors["reported_on"] = [_("The date cannot be in the future.")]
    open_file = GroupRental.objects.filter(dwelling=dwelling).exclude(
        stage=GroupRental.Stage.CLOSED
    )
    if open_file.exists():
        errors["dwelling"] = [_("This dwelling already has an open group-rental file.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        group_rental = GroupRental.objects.create(
            subdistrict_id=dwelling.subdistrict_id,
            dwelling=dwelling,
            source=source,
            case=case,
            reported_on=reported_on,
            description=description,
            recorded_by=actor.user,
            recorded_at=clock.now(),
        )
        audit.record(actor, "rentals.file.create", group_rental, after=audit.snapshot(group_rental))
    return group_rental


def record_inspection(
    group_rental: GroupRental,
    *,
    actor: Access,
    rooms: Sequence[checks.RoomFacts],
    inspected_on: dt.date | None = None,
    note: str = "",
) -> Inspection:
    """The rooms as found. linli checks them against the rules in force that day: with a
    breach the file waits for a notice; without one it closes."""
    actor.require(rules.may_inspect(actor, group_rental))
    errors: dict[str, list[str]] = {}
    note = _text(errors, Inspection, "note", note)
    inspected_on = inspected_on or clock.today()
    if inspected_on > clock.today():
        errors["inspected_on"] = [_("The date cannot be in the future.")]
    if inspected_on < group_rental.reported_on:
        errors["inspected_on"] = [_("The inspection cannot come before the lead.")]
    if not rooms:
        errors["rooms"] = [_("Record at least one room.")]
    for room in rooms:
        if room.kind not in Room.Kind.values:
            errors[f"rooms.{room.position}.kind"] = [_("Choose the kind of room.")]
        if room.area_m2 <= 0 or room.area_m2 >= Decimal("10000"):
            errors[f"rooms.{room.position}.area_m2"] = [_("Give the room's area in m².")]
        if room.sleepers < 0 or room.sleepers > 100:
            errors[f"rooms.{room.position}.sleepers"] = [_("Give how many people sleep here.")]
    if errors:
        raise ValidationError(errors)
    most = parameters.value(MAX_PER_ROOM, on=inspected_on)
    least = parameters.value(MIN_AREA, on=inspected_on)
    breaches = checks.check(rooms, max_per_room=most, min_area=least)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            subdistrict_id=group_rental.subdistrict_id,
            group_rental=group_rental,
            inspected_on=inspected_on,
            inspector=actor.user,
            note=note,
            breaches=[b.as_json() for b in breaches],
            versions={v.key: [str(v.value), v.pk] for v in (most, least)},
        )
        Room.objects.bulk_create(
            Room(
                subdistrict_id=group_rental.subdistrict_id,
                inspection=inspection,
                position=room.position,
                kind=room.kind,
                area_m2=room.area_m2,
                sleepers=room.sleepers,
                one_family=room.one_family,
            )
            for room in rooms
        )
        before = audit.snapshot(group_rental)
        if breaches:
            group_rental.stage = GroupRental.Stage.INSPECTED
        else:
            group_rental.stage = GroupRental.Stage.CLOSED
            group_rental.closed_on = inspected_on
            group_rental.outcome = GroupRental.Outcome.NO_BREACH
        group_rental.save(update_fields=["stage", "closed_on", "outcome"])
        audit.record(actor, "rentals.inspection.record", inspection)
        audit.record(
            actor,
            "rentals.file.stage",
            group_rental,
            before=before,
            after=audit.snapshot(group_rental),
        )
    return inspection


def latest_inspection(group_rental: GroupRental) -> Inspection | None:
    return group_rental.inspections.order_by("-inspected_on", "-pk").first()


def working_days_after(day: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    """The date ``days`` working days after ``day`` (the work calendar, with its 调休)."""
    zone = clock.local_zone()
    start = dt.datetime.combine(day, NOTICE_OPENS_AT, zone)
    return calendar.add_working_days(start, days).astimezone(zone).date()


def issue_notice(
    group_rental: GroupRental, *, actor: Access, issued_on: dt.date | None = None
) -> RectificationNotice:
    """A rectification notice for the breaches of the latest inspection, due a number of working
    days later (parameter, read on the day of issue)."""
    actor.require(rules.may_issue_notice(actor, group_rental))
    inspection = latest_inspection(group_rental)
    issued_on = issued_on or clock.today()
    if inspection is None or not inspection.breaches:
        raise ValidationError(
            _("The latest inspection found no breach: there is nothing to put right.")
        )
    if issued_on < inspection.inspected_on or issued_on > clock.today():
        raise ValidationError(
            {"issued_on": [_("Issue the notice between the inspection and today.")]}
        )
    days = parameters.value(NOTICE_DAYS, on=issued_on)
    work = WorkCalendar.for_subdistrict(actor.subdistrict)
    deadline = working_days_after(issued_on, int(days.value), work)
    with transaction.atomic():
        count = RectificationNotice.objects.filter(issued_on__year=issued_on.year).count()
        notice = RectificationNotice.objects.create(
            subdistrict_id=group_rental.subdistrict_id,
            group_rental=group_rental,
            inspection=inspection,
            number=f"QZ{issued_on:%Y}-{count + 1:04d}",
            issued_on=issued_on,
            deadline=deadline,
            working_days=int(days.value),
            working_days_version=days.pk,
            issued_by=actor.user,
        )
        _move(actor, group_rental, GroupRental.Stage.NOTICE)
        audit.record(actor, "rentals.notice.issue", notice, after=audit.snapshot(notice))
    return notice


def _move(actor: Access, group_rental: GroupRental, stage: str, **more: object) -> None:
    before = audit.snapshot(group_rental)
    group_rental.stage = stage
    for name, value in more.items():
        setattr(group_rental, name, value)
    group_rental.save(update_fields=["stage", *more])
    audit.record(
        actor, "rentals.file.stage", group_rental, before=before, after=audit.snapshot(group_rental)
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is short)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record_enforcement(
    group_rental: GroupRental,
    *,
    actor: Access,
    on: dt.date,
    departments: Iterable[Organisation],
    result: str,
) -> Enforcement:
    """Joint enforcement at the dwelling; the re-inspections are scheduled the given numbers of
    months later (parameters in force on the day of enforcement)."""
    actor.require(rules.may_record_enforcement(actor, group_rental))
    errors: dict[str, list[str]] = {}
    result = _text(errors, Enforcement, "result", result)
    departments = list(departments)
    if not result:
        errors["result"] = [_("Say what the enforcement achieved.")]
    if not departments:
        errors["departments"] = [_("Choose the departments that took part.")]
    notice = group_rental.notices.order_by("-issued_on", "-pk").first()
    if on > clock.today() or (notice is not None and on < notice.issued_on):
        errors["on"] = [_("Give a date between the notice and today.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        enforcement = Enforcement.objects.create(
            subdistrict_id=group_rental.subdistrict_id,
            group_rental=group_rental,
            on=on,
            result=result,
            recorded_by=actor.user,
        )
        enforcement.departments.set(departments)
        for key in REINSPECTIONS:
            months = parameters.value(key, on=on)
            ReInspection.objects.create(
                subdistrict_id=group_rental.subdistrict_id,
                group_rental=group_rental,
                months=int(months.value),
                months_version=months.pk,
                due_on=add_months(on, int(months.value)),
            )
        _move(actor, group_rental, GroupRental.Stage.ENFORCEMENT)
        audit.record(actor, "rentals.enforcement.record", enforcement)
    return enforcement


def record_reinspection(
    reinspection: ReInspection,
    *,
    actor: Access,
    compliant: bool,
    done_on: dt.date | None = None,
    note: str = "",
) -> ReInspection:
    """A re-inspection done. In order, and the last one: the file closes as rectified. Not in
    order: the remaining re-inspections are cancelled and the file goes back to a lead, for a
    fresh inspection and notice."""
    group_rental = reinspection.group_rental
    actor.require(rules.may_reinspect(actor, group_rental))
    errors: dict[str, list[str]] = {}
    note = _text(errors, ReInspection, "note", note)
    done_on = done_on or clock.today()
    if reinspection.done_on is not None or reinspection.cancelled:
        raise ValidationError(_("This re-inspection is recorded already."))
    if done_on > clock.today():
        errors["done_on"] = [_("The date cannot be in the future.")]
    if not compliant and not note:
        errors["note"] = [_("Describe what was found.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reinspection.done_on = done_on
        reinspection.compliant = compliant
        reinspection.note = note
        reinspection.done_by = actor.user
        reinspection.save(update_fields=["done_on", "compliant", "note", "done_by"])
        audit.record(actor, "rentals.reinspection.record", reinspection)
        pending = group_rental.reinspections.filter(done_on__isnull=True, cancelled=False)
        if not compliant:
            pending.update(cancelled=True)
            _move(actor, group_rental, GroupRental.Stage.LEAD)
        elif pending.exists():
            _move(actor, group_rental, GroupRental.Stage.REINSPECTION)
        else:
            _move(
                actor,
                group_rental,
                GroupRental.Stage.CLOSED,
                closed_on=done_on,
                outcome=GroupRental.Outcome.RECTIFIED,
            )
    return reinspection


def open_files_in(quarter: Quarter) -> int:
    return (
        GroupRental.objects.filter(dwelling__unit__building__quarter=quarter)
        .exclude(stage=GroupRental.Stage.CLOSED)
        .count()
    )


def certify_quarter(
    quarter: Quarter, *, actor: Access, certified_on: dt.date | None = None, note: str = ""
) -> Certification:
    """A quarter is certified group-rental-free only with no open file (a lead counts: it is
    not yet known to be in order)."""
    actor.require(rules.may_certify(actor))
    errors: dict[str, list[str]] = {}
    note = _text(errors, Certification, "note", note)
    certified_on = certified_on or clock.today()
    if certified_on > clock.today():
        errors["certified_on"] = [_("The date cannot be in the future.")]
    if open_files := open_files_in(quarter):
        errors["quarter"] = [
            _("%(count)s group-rental files of this quarter are still open.")
            % {"count": open_files}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        certification = Certification.objects.create(
            subdistrict_id=quarter.subdistrict_id,
            quarter=quarter,
            certified_on=certified_on,
            certified_by=actor.user,
            note=note,
        )
        audit.record(
            actor,
            "rentals.certification.create",
            certification,
            after=audit.snapshot(certification),
        )
    return certification


def follow_up_category(subdistrict_id: int) -> tuple[Category, dict[str, str]]:
    """The case category for overdue follow-ups, and the field the dwelling's address fills.

    Ours (code ``group-rental``) if it exists; else the sub-district's own group-rental
    category (an active incident whose name says 群租, taking reports with no reporter, with no
    required field but the door number), so the cases join the queue that already routes them
    to the housing office; else ours, made now."""
    from linli.cases.extra import fields_of

    ours = Category.objects.filter(subdistrict_id=subdistrict_id, code=CATEGORY_CODE).first()
    if ours is not None:
        return ours, {}
    candidates = Category.objects.filter(
        subdistrict_id=subdistrict_id,
        kind=Category.Kind.INCIDENT,
        active=True,
        allows_anonymous=True,  # the sweep reports as the system, with no person behind it
        name__contains="群租",
    ).order_by("code")
    for candidate in candidates:
        if candidate.children.exists():
            continue
        required = {f.key for f in fields_of(candidate) if f.required}
        if required <= {"unit"}:
            return candidate, {"unit": ""} if required else {}
    with translation.override(settings.LANGUAGE_CODE):
        category = Category.objects.create(
            subdistrict_id=subdistrict_id,
            code=CATEGORY_CODE,
            name=_("Group-rental follow-up"),
            name_en="Group-rental follow-up",
            kind=Category.Kind.INCIDENT,
            allows_anonymous=True,
            description=_("A group-rental dwelling whose notice or re-inspection fell overdue."),
        )
    return category, {}


def _open_case(actor: Access, group_rental: GroupRental, title: str, description: str) -> Case:
    category, fields = follow_up_category(group_rental.subdistrict_id)
    dwelling = group_rental.dwelling
    building = dwelling.unit.building
    address = address_of(dwelling)
    extra = {key: address for key in fields}
    return submit_case(
        actor=actor,
        category=category,
        channel=Channel.INSPECTION,
        title=title,
        description=description,
        address=building.address or address,
        lon=building.lon,
        lat=building.lat,
        quarter=building.quarter,
        extra=extra,
    )


def sweep_overdue(*, actor: Access, today: dt.date | None = None) -> list[Case]:
    """Open a case for each notice whose deadline passed with the file still at the notice
    stage, and for each re-inspection due and not done. Each gets at most one case (the row
    keeps it, under a row lock), so running the sweep again opens nothing more."""
    actor.require(rules.may_sweep(actor))
    today = today or clock.today()
    opened: list[Case] = []
    with translation.override(settings.LANGUAGE_CODE):
        notices = RectificationNotice.objects.filter(
            deadline__lt=today,
            overdue_case__isnull=True,
            group_rental__stage=GroupRental.Stage.NOTICE,
        ).values_list("pk", flat=True)
        for pk in list(notices):
            with transaction.atomic():
                notice = (
                    RectificationNotice.objects.select_for_update(of=("self",))
                    .select_related("group_rental__dwelling__unit__building__quarter")
                    .get(pk=pk)
                )
                if notice.overdue_case_id is not None:
                    continue
                address = address_of(notice.group_rental.dwelling)
                case = _open_case(
                    actor,
                    notice.group_rental,
                    _("Group rental not rectified: %(address)s") % {"address": address},
                    _(
                        "Rectification notice %(number)s was due on %(deadline)s and the "
                        "dwelling has not been put right; joint enforcement is needed."
                    )
                    % {"number": notice.number, "deadline": notice.deadline.isoformat()},
                )
                notice.overdue_case = case
                notice.save(update_fields=["overdue_case"])
                audit.record(actor, "rentals.notice.overdue", notice)
                opened.append(case)
        due = ReInspection.objects.filter(
            due_on__lt=today, done_on__isnull=True, cancelled=False, overdue_case__isnull=True
        ).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                reinspection = (
                    ReInspection.objects.select_for_update(of=("self",))
                    .select_related("group_rental__dwelling__unit__building__quarter")
                    .get(pk=pk)
                )
                if reinspection.overdue_case_id is not None or reinspection.done_on is not None:
                    continue
                address = address_of(reinspection.group_rental.dwelling)
                case = _open_case(
                    actor,
                    reinspection.group_rental,
                    _("Group-rental re-inspection overdue: %(address)s") % {"address": address},
                    _(
                        "The re-inspection %(months)s months after the joint enforcement was "
                        "due on %(due)s and has not been done."
                    )
                    % {"months": reinspection.months, "due": reinspection.due_on.isoformat()},
                )
                reinspection.overdue_case = case
                reinspection.save(update_fields=["overdue_case"])
                audit.record(actor, "rentals.reinspection.overdue", reinspection)
                opened.append(case)
    return opened
