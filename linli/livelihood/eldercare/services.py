"""The verbs of elderly care: open an elder's file and keep its living situation, add emergency
contacts, record assessments, request and decide care orders, plan, check in and out of and rate
visits.

Each verb checks its rule, runs in one transaction and writes an audit row. The registry's tags
follow the file: ``living_alone`` follows the living situation (the caring-visits app reads it)
and the sensitive ``care_grade`` follows the assessment in force (people.services checks the
consent or legal basis it needs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.pii import encrypt, lookup_hash, validate_mobile
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare import planner, rules
from linli.livelihood.eldercare.grades import entitlements
from linli.livelihood.eldercare.models import (
    ACTIVE,
    Assessment,
    CareOrder,
    CareVisit,
    ElderFile,
    EmergencyContact,
    Grade,
)
from linli.people import services as people
from linli.people.models import ConsentRecord, Person, PersonTag, TagKind
from linli.registry.models import Facility

ELDERLY_AGE = 60
FACILITY_OF: dict[str, tuple[str, ...]] = {
    CareOrder.Kind.DAY_CARE: (Facility.Category.ELDERLY_DAY_CARE,),
    CareOrder.Kind.CARE_HOME_BED: (Facility.Category.CARE_HOME,),
}


def _tag_in_force(person: Person, code: str, day: dt.date) -> PersonTag | None:
    tags = PersonTag.objects.filter(person=person, kind__code=code, ended_on__isnull=True)
    return next((t for t in tags if t.in_force_on(day)), None)


def _follow_living_alone(actor: Access, person: Person, living: str, on: dt.date) -> None:
    tag = _tag_in_force(person, "living_alone", on)
    if living == ElderFile.Living.ALONE and tag is None:
        people.set_tag(
            actor,
            person,
            kind=TagKind.objects.get(code="living_alone"),
            source=PersonTag.Source.SURVEY,
            valid_from=on,
            reason=_("Living situation recorded in the elder's file"),
        )
    elif living != ElderFile.Living.ALONE and tag is not None:
        people.end_tag(actor, tag, on=on, reason=_("Living situation changed in the elder's file"))


def open_file(actor: Access, person: Person, *, living: str) -> ElderFile:
    actor.require(rules.may_manage(actor, person))
    today = clock.today()
    if (person.age_on(today) or 0) < ELDERLY_AGE:
        raise ValidationError({"person": [_("An elder's file is for persons aged 60 or more.")]})
    if living not in ElderFile.Living.values:
        raise ValidationError({"living": [_("Choose a living situation from the list.")]})
    if ElderFile.objects.filter(person=person).exists():
        raise ValidationError({"person": [_("This person already has a file.")]})
    with transaction.atomic():
        file = ElderFile.objects.create(
            subdistrict=person.subdistrict, person=person, living=living
        )
        _follow_living_alone(actor, person, living, today)
        audit.record(actor, "eldercare.file.open", file, after={"living": living})
    return file


def set_living(actor: Access, file: ElderFile, *, living: str) -> ElderFile:
    actor.require(rules.may_manage(actor, file.person))
    if living not in ElderFile.Living.values:
        raise ValidationError({"living": [_("Choose a living situation from the list.")]})
    before = file.living
    with transaction.atomic():
        file.living = living
        file.save(update_fields=["living"])
        _follow_living_alone(actor, file.person, living, clock.today())
        audit.record(
            actor,
            "eldercare.file.living",
            file,
            before={"living": before},
            after={"living": living},
        )
    return file


def add_contact(
    actor: Access, file: ElderFile, *, name: str, relation: str, phone: str
) -> EmergencyContact:
    actor.require(rules.may_manage(actor, file.person))
    limits.refuse_overlong(EmergencyContact, name=name, relation=relation)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the contact's name.")]
    if not relation.strip():
        errors["relation"] = [_("Say how the contact is related to the elder.")]
    number = ""
    try:
        number = validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = EmergencyContact.objects.create(
            subdistrict=file.subdistrict,
            elder=file,
            name=name.strip(),
            relation=relation.strip(),
            phone_cipher=encrypt(number),
            phone_hash=lookup_hash(number),
        )
        audit.record(actor, "eldercare.contact.add", contact, after={"elder": file.pk})
    return contact


def _care_consent(person: Person, day: dt.date) -> ConsentRecord | None:
    consents = ConsentRecord.objects.filter(
        person=person, purpose=ConsentRecord.Purpose.ELDERLY_CARE
    )
    return next((c for c in consents if c.in_force_on(day)), None)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = planner.month_bounds(dt.date(year, month, 1))[1]
    return dt.date(year, month, min(day.day, last.day))


def record_assessment(
    actor: Access,
    person: Person,
    *,
    grade: str,
    assessed_on: dt.date,
    assessor: str,
    cognitive_impairment: bool = False,
    legal_basis: str = "",
) -> Assessment:
    """The assessment and the ``care_grade`` tag (on the person's elderly-care consent, or the
    legal basis given); the plans of the elder's home-care orders follow the new grade from
    ``assessed_on``."""
    actor.require(rules.may_manage(actor, person))
    limits.refuse_overlong(Assessment, assessor=assessor)
    errors: dict[str, list[str]] = {}
    if grade not in Grade.values:
        errors["grade"] = [_("Choose a grade from the list.")]
    if not assessor.strip():
        errors["assessor"] = [_("Name the assessor or assessing agency.")]
    if assessed_on > clock.today():
        errors["assessed_on"] = [_("This date is in the future.")]
    if errors:
        raise ValidationError(errors)
    validity = parameters.value(keys.VALIDITY, on=assessed_on)
    valid_until = add_months(assessed_on, int(validity.value)) - dt.timedelta(days=1)
    with transaction.atomic():
        for old in PersonTag.objects.filter(
            person=person, kind__code="care_grade", ended_on__isnull=True
        ):
            if old.valid_from < assessed_on:
                people.end_tag(actor, old, on=assessed_on, reason=_("Re-assessed"))
        tag = people.set_tag(
            actor,
            person,
            kind=TagKind.objects.get(code="care_grade"),
            source=PersonTag.Source.CIVIL_AFFAIRS,
            valid_from=assessed_on,
            valid_until=valid_until,
            grade=grade,
            reason=_("Care-needs assessment"),
            consent=_care_consent(person, assessed_on),
            legal_basis=legal_basis,
        )
        assessment = Assessment.objects.create(
            subdistrict=person.subdistrict,
            person=person,
            grade=grade,
            assessed_on=assessed_on,
            valid_until=valid_until,
            validity_version=validity.pk,
            assessor=assessor.strip(),
            cognitive_impairment=cognitive_impairment,
            tag=tag,
            recorded_by=actor.user,
        )
        for order in CareOrder.objects.filter(
            person=person, kind=CareOrder.Kind.HOME_CARE, status=CareOrder.Status.SCHEDULED
        ):
            order.grade = grade
            order.save(update_fields=["grade"])
            _replan(order, assessed_on)
        audit.record(
            actor,
            "eldercare.assessment.record",
            assessment,
            after={"assessed_on": assessed_on.isoformat(), "valid_until": valid_until.isoformat()},
        )
    return assessment


# --- care orders ------------------------------------------------------------------------------


def request_order(
    actor: Access,
    person: Person,
    *,
    kind: str,
    provider: Organisation,
    facility: Facility | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> CareOrder:
    actor.require(rules.may_manage(actor, person))
    limits.refuse_overlong(CareOrder, note=note)
    errors: dict[str, list[str]] = {}
    if kind not in CareOrder.Kind.values:
        errors["kind"] = [_("Choose a kind of care from the list.")]
    if provider.kind != Organisation.Kind.PROVIDER:
        errors["provider"] = [_("Choose a service provider.")]
    wanted = FACILITY_OF.get(kind)
    if wanted and (facility is None or facility.category not in wanted):
        errors["facility"] = [_("Choose a facility of this kind of care.")]
    if not ElderFile.objects.filter(person=person).exists():
        errors["person"] = [_("Open the elder's file first.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = CareOrder.objects.create(
            subdistrict=person.subdistrict,
            person=person,
            kind=kind,
            provider=provider,
            facility=facility if wanted else None,
            requested_on=on or clock.today(),
            note=note.strip(),
            requested_by=actor.user,
        )
        audit.record(actor, "eldercare.order.request", order, after={"kind": kind})
    return order


def _require(order: CareOrder, *states: str) -> None:
    if order.status not in states:
        raise ValidationError(
            {"status": [_("This order is %(status)s.") % {"status": order.get_status_display()}]}
        )


def approve_order(actor: Access, order: CareOrder, *, on: dt.date | None = None) -> CareOrder:
    """Approved with the entitlement of the grade in force on ``on``; home care needs long-term
    care insurance. The grade, the result and the parameter versions read stay on the order."""
    actor.require(rules.may_manage(actor, order.person))
    _require(order, CareOrder.Status.REQUESTED)
    day = on or clock.today()
    found = entitlements(order.person, day)
    if found.assessment is None:
        raise ValidationError({"status": [_("The elder has no care-needs assessment in force.")]})
    entitled = {
        CareOrder.Kind.HOME_CARE: found.long_term_care,
        CareOrder.Kind.DAY_CARE: True,
        CareOrder.Kind.CARE_HOME_BED: found.subsidised_bed,
    }[CareOrder.Kind(order.kind)]
    if order.kind == CareOrder.Kind.HOME_CARE and not entitled:
        raise ValidationError(
            {"status": [_("Home care needs a grade covered by long-term care insurance.")]}
        )
    versions = dict(found.versions)
    if order.kind == CareOrder.Kind.HOME_CARE:
        key = keys.weekly_visits_key(int(found.grade))
        versions[key] = parameters.value(key, on=day).pk
        versions[keys.VISIT_HOURS] = parameters.value(keys.VISIT_HOURS, on=day).pk
    with transaction.atomic():
        order.status, order.approved_on = CareOrder.Status.APPROVED, day
        order.grade, order.entitled, order.parameter_versions = found.grade, entitled, versions
        order.save(
            update_fields=["status", "approved_on", "grade", "entitled", "parameter_versions"]
        )
        audit.record(
            actor, "eldercare.order.approve", order, after={"grade": found.grade, **versions}
        )
    return order


def occupied_beds(facility: Facility) -> int:
    return CareOrder.objects.filter(
        facility=facility, kind=CareOrder.Kind.CARE_HOME_BED, status__in=ACTIVE[1:]
    ).count()


def schedule_order(actor: Access, order: CareOrder, *, month: dt.date | None = None) -> CareOrder:
    """Home care: the visit slots of ``month`` (this month by default; a month planned already
    gets only what it lacks). A care-home bed: admitted, if a bed is free."""
    actor.require(rules.may_manage(actor, order.person))
    _require(order, CareOrder.Status.APPROVED, CareOrder.Status.SCHEDULED)
    first, last = planner.month_bounds(month or clock.today())
    with transaction.atomic():
        if order.kind == CareOrder.Kind.CARE_HOME_BED and order.status == CareOrder.Status.APPROVED:
            facility = Facility.objects.select_for_update().get(pk=order.facility_id or 0)
            if facility.capacity is not None and occupied_beds(facility) >= facility.capacity:
                raise ValidationError({"status": [_("Every bed of this care home is taken.")]})
        if order.kind == CareOrder.Kind.HOME_CARE:
            _plan(order, max(first, order.approved_on or first), last)
        order.status = CareOrder.Status.SCHEDULED
        order.save(update_fields=["status"])
        audit.record(actor, "eldercare.order.schedule", order, after={"month": first.isoformat()})
    return order


def _plan(order: CareOrder, start: dt.date, end: dt.date) -> int:
    taken = {
        clock.local_day(v.starts_at)
        for v in order.visits.exclude(status=CareVisit.Status.CANCELLED).only("starts_at")
    }
    new = [v for v in planner.plan(order, start, end) if clock.local_day(v.starts_at) not in taken]
    CareVisit.objects.bulk_create(new)
    return len(new)


def _cancel_planned(order: CareOrder, since: dt.date, reason: str) -> int:
    start = dt.datetime.combine(since, dt.time(0), tzinfo=clock.local_zone())
    return order.visits.filter(status=CareVisit.Status.PLANNED, starts_at__gte=start).update(
        status=CareVisit.Status.CANCELLED, cancel_reason=reason
    )


def _replan(order: CareOrder, since: dt.date) -> None:
    """The planned slots from ``since`` to the end of the last planned month follow the grade
    and parameters in force on each day again."""
    latest = order.visits.order_by("-starts_at").values_list("starts_at", flat=True).first()
    _cancel_planned(order, since, _("Re-planned after a re-assessment"))
    if latest is not None:
        _plan(order, since, planner.month_bounds(clock.local_day(latest))[1])


def suspend_order(actor: Access, order: CareOrder, *, on: dt.date, reason: str) -> CareOrder:
    """In hospital: the planned visits from ``on`` are cancelled (not entitled meanwhile)."""
    actor.require(rules.may_manage(actor, order.person))
    _require(order, CareOrder.Status.APPROVED, CareOrder.Status.SCHEDULED)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the order is suspended.")]})
    limits.refuse_overlong(CareVisit, cancel_reason=reason)
    with transaction.atomic():
        cancelled = _cancel_planned(order, on, reason.strip())
        order.status = CareOrder.Status.SUSPENDED
        order.save(update_fields=["status"])
        audit.record(
            actor,
            "eldercare.order.suspend",
            order,
            after={"on": on.isoformat(), "visits": cancelled},
            note=reason,
        )
    return order


def resume_order(actor: Access, order: CareOrder, *, on: dt.date) -> CareOrder:
    actor.require(rules.may_manage(actor, order.person))
    _require(order, CareOrder.Status.SUSPENDED)
    with transaction.atomic():
        order.status = CareOrder.Status.SCHEDULED
        order.save(update_fields=["status"])
        if order.kind == CareOrder.Kind.HOME_CARE:
            _plan(order, on, planner.month_bounds(on)[1])
        audit.record(actor, "eldercare.order.resume", order, after={"on": on.isoformat()})
    return order


def cancel_order(actor: Access, order: CareOrder, *, reason: str) -> CareOrder:
    actor.require(rules.may_manage(actor, order.person))
    _require(order, *CareOrder.Status.values[:4])
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the order is cancelled.")]})
    limits.refuse_overlong(CareVisit, cancel_reason=reason)
    with transaction.atomic():
        _cancel_planned(order, clock.today(), reason.strip())
        order.status = CareOrder.Status.CANCELLED
        order.save(update_fields=["status"])
        audit.record(actor, "eldercare.order.cancel", order, note=reason)
    return order


# --- visits -----------------------------------------------------------------------------------


def _location(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """The browser's position, when the caregiver shared it; anything else is no position."""
    try:
        point = (float(lat), float(lon))
    except (TypeError, ValueError):
        return None, None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return None, None
    return point


def check_in(actor: Access, visit: CareVisit, *, lat: Any = None, lon: Any = None) -> CareVisit:
    actor.require(rules.may_check(actor, visit))
    _require(visit.order, CareOrder.Status.SCHEDULED)
    if visit.status not in (CareVisit.Status.PLANNED, CareVisit.Status.MISSED):
        raise ValidationError({"status": [_("This visit is already checked in.")]})
    with transaction.atomic():
        visit.status, visit.checked_in_at, visit.caregiver = (
            CareVisit.Status.CHECKED_IN,
            clock.now(),
            actor.user,
        )
        visit.check_in_lat, visit.check_in_lon = _location(lat, lon)
        visit.save()
        audit.record(actor, "eldercare.visit.check_in", visit)
    return visit


def check_out(actor: Access, visit: CareVisit, *, lat: Any = None, lon: Any = None) -> CareVisit:
    actor.require(rules.may_check(actor, visit))
    if visit.status != CareVisit.Status.CHECKED_IN:
        raise ValidationError({"status": [_("Check in before checking out.")]})
    with transaction.atomic():
        visit.status, visit.checked_out_at = CareVisit.Status.DONE, clock.now()
        visit.check_out_lat, visit.check_out_lon = _location(lat, lon)
        visit.save()
        audit.record(actor, "eldercare.visit.check_out", visit)
    return visit


def rate_visit(actor: Access, visit: CareVisit, *, rating: int) -> CareVisit:
    """The elder's rating of a done visit, recorded by their care staff."""
    actor.require(rules.may_manage(actor, visit.order.person))
    if visit.status != CareVisit.Status.DONE:
        raise ValidationError({"rating": [_("Only a done visit is rated.")]})
    if rating not in range(1, 6):
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    with transaction.atomic():
        visit.rating = rating
        visit.save(update_fields=["rating"])
        audit.record(actor, "eldercare.visit.rate", visit, after={"rating": rating})
    return visit
