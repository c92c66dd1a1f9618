"""The verbs of residents and homes: record homes, register persons, move them in and out,
record deaths, set and end tags, record and withdraw consent, merge two records of one person.

Each verb checks its rule, runs in one transaction and writes an audit row and the history
``LifeEvent`` of the person or dwelling. Nothing is deleted: moving out and death are statuses with
a date, a merged record stays as it was, pointing at the record it was merged into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.models import User
from linli.core.pii import (
    encrypt,
    lookup_hash,
    validate_mobile,
    validate_resident_id,
)
from linli.people import rules
from linli.people.models import (
    ConsentRecord,
    Dwelling,
    Household,
    LifeEvent,
    Ownership,
    Person,
    PersonTag,
    Rental,
    ResidentialBuilding,
    TagKind,
    Unit,
)
from linli.registry.models import Quarter


def identity_from_id(number: str) -> tuple[str, dt.date]:
    """Sex and date of birth as a GB 11643 number states them (digit 17 odd: male)."""
    born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return (Person.Sex.MALE if int(number[16]) % 2 else Person.Sex.FEMALE), born


def _not_future(field: str, day: dt.date) -> None:
    if day > clock.today():
        raise ValidationError({field: [_("This date is in the future.")]})


def _event(
    actor: Access, kind: str, on: dt.date, *, person=None, dwelling=None, note=""
) -> LifeEvent:
    limits.refuse_overlong(LifeEvent, note=note)
    subdistrict = (person or dwelling).subdistrict
    return LifeEvent.objects.create(
        subdistrict=subdistrict,
        person=person,
        dwelling=dwelling,
        kind=kind,
        on=on,
        actor=actor.user,
        note=note,
    )


# --- homes ------------------------------------------------------------------------------------


def record_building(
    actor: Access,
    *,
    quarter: Quarter,
    code: str,
    number: str,
    floors: int,
    built_year: int | None = None,
    has_lift: bool = False,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
) -> ResidentialBuilding:
    actor.require(rules.may_record_homes(actor))
    limits.refuse_overlong(ResidentialBuilding, code=code, number=number, address=address)
    if ResidentialBuilding.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("A building with this code is already recorded.")]})
    building = ResidentialBuilding(
        subdistrict=quarter.subdistrict,
        quarter=quarter,
        grid_id=quarter.grid_id,
        code=code,
        number=number,
        floors=floors,
        built_year=built_year,
        has_lift=has_lift,
        address=address,
        lon=lon,
        lat=lat,
    )
    building.full_clean(validate_unique=False)
    with transaction.atomic():
        building.save()
        audit.record(actor, "people.building.create", building, after=audit.snapshot(building))
    return building


def record_dwelling(
    actor: Access,
    *,
    building: ResidentialBuilding,
    unit: str,
    number: str,
    floor: int,
    floor_area_m2: Decimal | str,
    use: str = Dwelling.Use.RESIDENTIAL,
    tenure: str = Dwelling.Tenure.OWNER_OCCUPIED,
) -> Dwelling:
    """A dwelling in a unit of the building (the unit is recorded with its first dwelling)."""
    actor.require(rules.may_record_homes(actor))
    limits.refuse_overlong(Unit, number=unit)
    limits.refuse_overlong(Dwelling, number=number)
    try:
        area = Decimal(str(floor_area_m2))
    except InvalidOperation:
        raise ValidationError({"floor_area_m2": [_("Enter the area as a number.")]}) from None
    if not 0 <= floor <= building.floors:
        raise ValidationError(
            {"floor": [_("The building has %(floors)s floors.") % {"floors": building.floors}]}
        )
    with transaction.atomic():
        unit_row, _created = Unit.objects.get_or_create(
            subdistrict=building.subdistrict, building=building, number=unit
        )
        if Dwelling.objects.filter(unit=unit_row, number=number).exists():
            raise ValidationError({"number": [_("This dwelling is already recorded.")]})
        dwelling = Dwelling(
            subdistrict=building.subdistrict,
            unit=unit_row,
            number=number,
            floor=floor,
            floor_area_m2=area,
            use=use,
            tenure=tenure,
        )
        dwelling.full_clean(validate_unique=False)
        dwelling.save()
        _event(actor, LifeEvent.Kind.DWELLING_RECORDED, clock.today(), dwelling=dwelling)
        audit.record(actor, "people.dwelling.create", dwelling, after=audit.snapshot(dwelling))
    return dwelling


def record_ownership(
    actor: Access,
    dwelling: Dwelling,
    *,
    share: Decimal | str,
    exclusive_area_m2: Decimal | str,
    person: Person | None = None,
    organisation_name: str = "",
    since: dt.date | None = None,
) -> Ownership:
    actor.require(rules.may_change(actor, dwelling))
    limits.refuse_overlong(Ownership, organisation_name=organisation_name)
    if (person is None) == (not organisation_name.strip()):
        raise ValidationError(
            {"person": [_("Name either a person or an organisation as the owner.")]}
        )
    ownership = Ownership(
        subdistrict=dwelling.subdistrict,
        dwelling=dwelling,
        person=person,
        organisation_name=organisation_name.strip(),
        share=Decimal(str(share)),
        exclusive_area_m2=Decimal(str(exclusive_area_m2)),
        since=since,
    )
    ownership.full_clean()
    with transaction.atomic():
        ownership.save()
        _event(
            actor,
            LifeEvent.Kind.OWNER_RECORDED,
            since or clock.today(),
            dwelling=dwelling,
            note=str(person or organisation_name),
        )
        audit.record(actor, "people.ownership.create", ownership, after=audit.snapshot(ownership))
    return ownership


def record_rental(
    actor: Access,
    dwelling: Dwelling,
    *,
    tenants: Iterable[Person],
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Rental:
    """A rental record (租赁备案); the dwelling's tenure becomes rented."""
    actor.require(rules.may_change(actor, dwelling))
    tenants = list(tenants)
    if not tenants:
        raise ValidationError({"tenants": [_("Name at least one tenant.")]})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end is before the start.")]})
    with transaction.atomic():
        rental = Rental.objects.create(
            subdistrict=dwelling.subdistrict,
            dwelling=dwelling,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=actor.user,
        )
        rental.tenants.set(tenants)
        if dwelling.tenure != Dwelling.Tenure.RENTED:
            dwelling.tenure = Dwelling.Tenure.RENTED
            dwelling.save(update_fields=["tenure"])
        _event(actor, LifeEvent.Kind.RENTAL_RECORDED, starts_on, dwelling=dwelling)
        audit.record(
            actor,
            "people.rental.create",
            rental,
            after={"tenants": [t.pk for t in tenants], "starts_on": starts_on.isoformat()},
        )
    return rental


# --- persons ----------------------------------------------------------------------------------


def clean_identity(resident_id: str, mobile: str) -> dict[str, Any]:
    """The stored form of an ID and a mobile number (either may be blank): ciphers, look-up
    hashes, masks, sex and date of birth; a ValidationError names the field."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if resident_id.strip():
        try:
            number = validate_resident_id(resident_id)
        except ValidationError as exc:
            errors["resident_id"] = exc.messages
        else:
            sex, born = identity_from_id(number)
            values |= {
                "resident_id_cipher": encrypt(number),
                "resident_id_hash": lookup_hash(number),
                "sex": sex,
                "birth_date": born,
            }
            if born > clock.today():
                errors["resident_id"] = [_("The date of birth in this ID number is in the future.")]
    if mobile.strip():
        try:
            phone = validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
        else:
            values |= {
                "mobile_cipher": encrypt(phone),
                "mobile_hash": lookup_hash(phone),
            }
    if errors:
        raise ValidationError(errors)
    return values


def register_person(
    actor: Access,
    *,
    name: str,
    on: dt.date,
    resident_id: str = "",
    mobile: str = "",
    dwelling: Dwelling | None = None,
    household: Household | None = None,
    relation: str = "",
    registered_address: str = "",
    registered_here: bool = True,
    user: User | None = None,
) -> Person:
    """A person newly known to the sub-district, living at ``dwelling`` from ``on``."""
    if dwelling is not None:
        actor.require(rules.may_change(actor, dwelling))
    else:
        actor.require(rules.may_merge(actor))  # a person with no home here: administrators
    limits.refuse_overlong(Person, name=name, registered_address=registered_address)
    if not name.strip():
        raise ValidationError({"name": [_("Enter the person's name.")]})
    _not_future("on", on)
    identity = clean_identity(resident_id, mobile)
    if (
        identity.get("resident_id_hash")
        and Person.objects.filter(resident_id_hash=identity["resident_id_hash"]).exists()
    ):
        raise ValidationError(
            {"resident_id": [_("A person with this ID number is already registered.")]}
        )
    if relation and relation not in Person.Relation.values:
        raise ValidationError({"relation": [_("Choose a relation from the list.")]})
    subdistrict = actor.subdistrict if dwelling is None else dwelling.subdistrict
    assert subdistrict is not None  # noqa: S101 - the rules need a sub-district
    with transaction.atomic():
        person = Person.objects.create(
            subdistrict=subdistrict,
            name=name.strip(),
            dwelling=dwelling,
            household=household,
            relation=relation,
            registered_address=registered_address.strip(),
            registered_here=registered_here,
            status_since=on,
            user=user,
            **identity,
        )
        _event(actor, LifeEvent.Kind.REGISTERED, on, person=person)
        if dwelling is not None:
            _event(actor, LifeEvent.Kind.MOVED_IN, on, person=person, dwelling=dwelling)
        audit.record(actor, "people.person.register", person, after=_facts(person))
    return person


def _facts(person: Person) -> dict[str, Any]:
    """What an audit row says about a person: no name, no numbers."""
    return {
        "dwelling": person.dwelling_id,
        "household": person.household_id,
        "status": person.status,
        "status_since": person.status_since.isoformat() if person.status_since else None,
    }


def _require_living(person: Person) -> None:
    if person.status in (Person.Status.DECEASED, Person.Status.MERGED):
        raise ValidationError(
            {"status": [_("This record is %(status)s.") % {"status": person.get_status_display()}]}
        )


def move_in(
    actor: Access,
    person: Person,
    dwelling: Dwelling,
    *,
    on: dt.date,
    household: Household | None = None,
    relation: str = "",
) -> Person:
    """The person lives at ``dwelling`` from ``on`` (moving from another dwelling, or back).
    An archived record is read-only: it is not moved."""
    actor.require(rules.may_change(actor, dwelling) and person.archived_on is None)
    _require_living(person)
    _not_future("on", on)
    before = _facts(person)
    with transaction.atomic():
        if person.dwelling_id is not None and person.status == Person.Status.LIVING:
            _event(actor, LifeEvent.Kind.MOVED_OUT, on, person=person, dwelling=person.dwelling)
        person.dwelling = dwelling
        person.household = household or person.household
        person.relation = relation or person.relation
        person.status = Person.Status.LIVING
        person.status_since = on
        person.save(update_fields=["dwelling", "household", "relation", "status", "status_since"])
        _event(actor, LifeEvent.Kind.MOVED_IN, on, person=person, dwelling=dwelling)
        audit.record(actor, "people.person.move_in", person, before=before, after=_facts(person))
    return person


def move_out(actor: Access, person: Person, *, on: dt.date, note: str = "") -> Person:
    """The person no longer lives here; the record stays, with its last dwelling."""
    actor.require(rules.may_change(actor, person))
    _require_living(person)
    _not_future("on", on)
    limits.refuse_overlong(LifeEvent, note=note)
    if person.status == Person.Status.MOVED_OUT:
        raise ValidationError({"status": [_("This person has already moved out.")]})
    return _change_status(
        actor,
        person,
        Person.Status.MOVED_OUT,
        LifeEvent.Kind.MOVED_OUT,
        on,
        note,
        "people.person.move_out",
    )


def record_death(actor: Access, person: Person, *, on: dt.date, note: str = "") -> Person:
    actor.require(rules.may_change(actor, person))
    _require_living(person)
    _not_future("on", on)
    limits.refuse_overlong(LifeEvent, note=note)
    return _change_status(
        actor, person, Person.Status.DECEASED, LifeEvent.Kind.DIED, on, note, "people.person.death"
    )


def _change_status(
    actor: Access, person: Person, status: str, kind: str, on: dt.date, note: str, action: str
) -> Person:
    if person.status_since is not None and on < person.status_since:
        raise ValidationError(
            {"on": [_("This date is before the person's last change of status.")]}
        )
    before = _facts(person)
    with transaction.atomic():
        person.status = status
        person.status_since = on
        person.save(update_fields=["status", "status_since"])
        _event(actor, kind, on, person=person, dwelling=person.dwelling, note=note)
        audit.record(actor, action, person, before=before, after=_facts(person), note=note)
    return person


def merge_persons(actor: Access, keep: Person, absorb: Person, *, reason: str) -> Person:
    """Two records of one person become one: ``keep`` takes the numbers it lacks, the tags,
    consents, ownerships and rentals of ``absorb``; ``absorb`` stays, marked as merged into
    ``keep``, with its history, which ``person_history(keep)`` reads too."""
    actor.require(rules.may_merge(actor))
    # An archived record is read-only (rules.persons): it is not merged either.
    actor.require(rules.may_change(actor, keep) and rules.may_change(actor, absorb))
    if keep.pk == absorb.pk:
        raise ValidationError({"absorb": [_("Choose two different records.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why these records are one person.")]})
    limits.refuse_overlong(LifeEvent, note=reason)
    if keep.status == Person.Status.MERGED or absorb.status == Person.Status.MERGED:
        raise ValidationError({"absorb": [_("One of these records is already merged.")]})
    ids = {p.resident_id_hash for p in (keep, absorb) if p.resident_id_hash}
    if len(ids) > 1:
        raise ValidationError(
            {"absorb": [_("These records carry different ID numbers: they are two persons.")]}
        )
    with transaction.atomic():
        moved = []
        for prefix in ("resident_id", "mobile"):
            if not getattr(keep, f"{prefix}_hash") and getattr(absorb, f"{prefix}_hash"):
                for suffix in ("cipher", "hash"):
                    setattr(keep, f"{prefix}_{suffix}", getattr(absorb, f"{prefix}_{suffix}"))
                    setattr(absorb, f"{prefix}_{suffix}", "")
                moved.append(prefix)
        if "resident_id" in moved:
            keep.sex, keep.birth_date = absorb.sex, absorb.birth_date
        for field in ("household", "dwelling", "user"):
            if getattr(keep, f"{field}_id") is None and getattr(absorb, f"{field}_id"):
                setattr(keep, f"{field}_id", getattr(absorb, f"{field}_id"))
        absorb.status, absorb.status_since = Person.Status.MERGED, clock.today()
        absorb.merged_into, absorb.user = keep, None
        absorb.save()
        keep.save()
        PersonTag.objects.filter(person=absorb).update(person=keep)
        ConsentRecord.objects.filter(person=absorb).update(person=keep)
        Ownership.objects.filter(person=absorb).update(person=keep)
        for rental in Rental.objects.filter(tenants=absorb):
            rental.tenants.remove(absorb)
            rental.tenants.add(keep)
        today = clock.today()
        _event(actor, LifeEvent.Kind.MERGED, today, person=keep, note=reason)
        _event(actor, LifeEvent.Kind.MERGED, today, person=absorb, note=reason)
        audit.record(
            actor,
            "people.person.merge",
            keep,
            after={"kept": keep.pk, "merged": absorb.pk, "numbers_moved": moved},
            note=reason,
        )
    return keep


def person_history(person: Person) -> QuerySet[LifeEvent]:
    """The events of a person and of every record merged into it."""
    ids, frontier = {person.pk}, [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return LifeEvent.objects.filter(person_id__in=sorted(ids)).select_related("dwelling", "actor")


def dwelling_history(dwelling: Dwelling) -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(dwelling=dwelling).select_related("person", "actor")


# --- tags and consent -------------------------------------------------------------------------


def set_tag(
    actor: Access,
    person: Person,
    *,
    kind: TagKind,
    source: str,
    valid_from: dt.date,
    reason: str,
    valid_until: dt.date | None = None,
    grade: str = "",
    consent: ConsentRecord | None = None,
    legal_basis: str = "",
) -> PersonTag:
    """A tag with its source and validity. A sensitive kind needs the person's consent in
    force on ``valid_from`` or a recorded legal basis (PIPL art. 29)."""
    actor.require(rules.may_set_tag(actor, person, sensitive=kind.sensitive))
    _require_living(person)
    limits.refuse_overlong(PersonTag, reason=reason, legal_basis=legal_basis, grade=grade)
    errors: dict[str, list[str]] = {}
    if kind.from_age is not None:
        errors["kind"] = [_("This tag follows from the date of birth; it is not set by hand.")]
    if not reason.strip():
        errors["reason"] = [_("Say why this tag is set.")]
    if source not in PersonTag.Source.values:
        errors["source"] = [_("Choose a source from the list.")]
    if kind.has_grade and not grade.strip():
        errors["grade"] = [_("This tag needs a grade.")]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The end is before the start.")]
    if consent is not None and (
        consent.person_id != person.pk or not consent.in_force_on(valid_from)
    ):
        errors["consent"] = [_("This consent is not the person's, or not in force.")]
    if kind.sensitive and consent is None and not legal_basis.strip():
        errors["legal_basis"] = [
            _("Sensitive information needs the person's consent or a legal basis; record one.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        tag = PersonTag.objects.create(
            subdistrict=person.subdistrict,
            person=person,
            kind=kind,
            grade=grade.strip(),
            source=source,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=reason.strip(),
            legal_basis=legal_basis.strip(),
            consent=consent,
            set_by=actor.user,
        )
        _event(actor, LifeEvent.Kind.TAG_SET, valid_from, person=person, note=kind.name)
        audit.record(
            actor,
            "people.tag.set",
            tag,
            after={"kind": kind.code, "source": source, "valid_from": valid_from.isoformat()},
            note=reason,
        )
    return tag


def end_tag(actor: Access, tag: PersonTag, *, on: dt.date, reason: str) -> PersonTag:
    actor.require(rules.may_set_tag(actor, tag.person, sensitive=tag.kind.sensitive))
    limits.refuse_overlong(PersonTag, end_reason=reason)
    if tag.ended_on is not None:
        raise ValidationError({"tag": [_("This tag has already ended.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this tag ends.")]})
    if on < tag.valid_from:
        raise ValidationError({"on": [_("The end is before the start.")]})
    with transaction.atomic():
        tag.ended_on, tag.ended_by, tag.end_reason = on, actor.user, reason.strip()
        tag.save(update_fields=["ended_on", "ended_by", "end_reason"])
        _event(actor, LifeEvent.Kind.TAG_ENDED, on, person=tag.person, note=tag.kind.name)
        audit.record(actor, "people.tag.end", tag, after={"ended_on": on.isoformat()}, note=reason)
    return tag


def record_consent(
    actor: Access, person: Person, *, purpose: str, given_on: dt.date, channel: str
) -> ConsentRecord:
    actor.require(rules.may_record_consent(actor, person))
    errors = {}
    if purpose not in ConsentRecord.Purpose.values:
        errors["purpose"] = [_("Choose a purpose from the list.")]
    if channel not in ConsentRecord.Channel.values:
        errors["channel"] = [_("Choose a channel from the list.")]
    if errors:
        raise ValidationError(errors)
    _not_future("given_on", given_on)
    with transaction.atomic():
        consent = ConsentRecord.objects.create(
            subdistrict=person.subdistrict,
            person=person,
            purpose=purpose,
            given_on=given_on,
            channel=channel,
            recorded_by=actor.user,
        )
        _event(
            actor,
            LifeEvent.Kind.CONSENT_GIVEN,
            given_on,
            person=person,
            note=consent.get_purpose_display(),
        )
        audit.record(
            actor, "people.consent.record", consent, after={"purpose": purpose, "channel": channel}
        )
    return consent


def withdraw_consent(actor: Access, consent: ConsentRecord, *, on: dt.date) -> ConsentRecord:
    """The consent ends on ``on``; tags that rested on it alone end with it."""
    actor.require(rules.may_change(actor, consent.person))
    if consent.withdrawn_on is not None:
        raise ValidationError({"consent": [_("This consent has already been withdrawn.")]})
    if on < consent.given_on:
        raise ValidationError({"on": [_("The withdrawal is before the consent was given.")]})
    _not_future("on", on)
    with transaction.atomic():
        consent.withdrawn_on, consent.withdrawn_by = on, actor.user
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        for tag in PersonTag.objects.filter(consent=consent, ended_on__isnull=True, legal_basis=""):
            tag.ended_on, tag.ended_by = on, actor.user
            tag.end_reason = _("Consent withdrawn")
            tag.save(update_fields=["ended_on", "ended_by", "end_reason"])
            _event(actor, LifeEvent.Kind.TAG_ENDED, on, person=consent.person, note=tag.kind.name)
        _event(
            actor,
            LifeEvent.Kind.CONSENT_WITHDRAWN,
            on,
            person=consent.person,
            note=consent.get_purpose_display(),
        )
        audit.record(
            actor, "people.consent.withdraw", consent, after={"withdrawn_on": on.isoformat()}
        )
    return consent


def create_household(actor: Access, *, number: str, dwelling: Dwelling) -> Household:
    actor.require(rules.may_change(actor, dwelling))
    limits.refuse_overlong(Household, number=number)
    if Household.objects.filter(number=number).exists():
        raise ValidationError({"number": [_("A household with this number is already recorded.")]})
    return Household.objects.create(
        subdistrict=dwelling.subdistrict, number=number, dwelling=dwelling
    )
