"""The verbs of residents and homes: what a committee worker or grid worker notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from linli.core.models import AuditEntry
from linli.people import services
from linli.people.models import ConsentRecord, Dwelling, LifeEvent, Person, PersonTag, TagKind
from tests.people.helpers import DAY, resident_id

pytestmark = pytest.mark.django_db


def test_sex_and_birth_date_come_from_the_id_and_nothing_is_stored_in_clear(hood, people):
    number = resident_id(dt.date(1941, 2, 28), 3, female=True)
    person = services.register_person(
        people["committee"],
        name="Wang Fang",
        on=DAY,
        resident_id=number,
        mobile="138 0013 8000",
        dwelling=hood.dwellings[0],
    )
    person.refresh_from_db()
    assert (person.sex, person.birth_date) == (Person.Sex.FEMALE, dt.date(1941, 2, 28))
    assert person.resident_id == number and person.mobile == "13800138000"
    assert person.resident_id_masked == number[:4] + "*" * 10 + number[-4:]
    assert person.mobile_masked == "138****8000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert number not in row and "13800138000" not in row


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("310101195005170010", "check digit"),
        ("31010119500230001X", "does not exist"),
        ("3101011950", "17 digits"),
    ],
)
def test_a_bad_id_is_refused_on_its_field_and_nothing_is_written(hood, people, number, message):
    count = Person.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.register_person(
            people["admin"], name="X", on=DAY, resident_id=number, dwelling=hood.dwellings[0]
        )
    assert message in " ".join(caught.value.message_dict["resident_id"])
    assert Person.objects.count() == count


def test_one_id_is_one_person(hood, people):
    number = hood.persons[0].resident_id
    with pytest.raises(ValidationError) as caught:
        services.register_person(
            people["admin"], name="Again", on=DAY, resident_id=number, dwelling=hood.dwellings[1]
        )
    assert "already registered" in caught.value.message_dict["resident_id"][0]


def test_moving_out_and_death_are_statuses_with_dates_and_history(hood, people):
    person = hood.persons[0]
    services.move_out(people["committee"], person, on=dt.date(2026, 4, 2), note="To Pudong")
    person.refresh_from_db()
    assert person.status == Person.Status.MOVED_OUT
    assert person.status_since == dt.date(2026, 4, 2)
    assert person.dwelling == hood.dwellings[0]  # the last dwelling stays known
    with pytest.raises(ValidationError):
        services.move_out(people["committee"], person, on=dt.date(2026, 4, 3))
    services.move_in(people["committee"], person, hood.dwellings[0], on=dt.date(2026, 6, 1))
    services.record_death(people["committee"], person, on=dt.date(2026, 7, 9))
    kinds = [e.kind for e in services.person_history(person)]
    assert kinds == ["registered", "moved_in", "moved_out", "moved_in", "died"]
    dwelling_kinds = [e.kind for e in services.dwelling_history(hood.dwellings[0])]
    assert dwelling_kinds[:4] == ["moved_in", "moved_out", "moved_in", "died"]
    assert dwelling_kinds[-1] == "dwelling_recorded"  # entered today, after the moves it lists
    assert Person.objects.filter(pk=person.pk).exists()


def test_history_cannot_be_changed_or_deleted(hood, people):
    events = LifeEvent.objects.filter(person=hood.persons[0])
    with pytest.raises(PermissionError):
        events.update(note="rewritten")
    with pytest.raises(PermissionError):
        events.delete()
    with pytest.raises(PermissionError):
        events.first().save()


def test_merging_keeps_both_histories_and_writes_an_audit_row(hood, people):
    keep = services.register_person(
        people["admin"], name="Li Lei", on=dt.date(2025, 1, 5), dwelling=hood.dwellings[0]
    )
    absorb = hood.persons[0]
    services.move_out(people["admin"], absorb, on=dt.date(2026, 3, 20))
    number = absorb.resident_id
    services.merge_persons(people["admin"], keep, absorb, reason="Same person, twice entered")
    keep.refresh_from_db()
    absorb.refresh_from_db()
    assert keep.resident_id == number and absorb.resident_id_hash == ""
    assert absorb.status == Person.Status.MERGED and absorb.merged_into == keep
    history = list(services.person_history(keep))
    assert {e.person_id for e in history} == {keep.pk, absorb.pk}
    assert [e.kind for e in history if e.person_id == absorb.pk][:3] == [
        "registered",
        "moved_in",
        "moved_out",
    ]
    entry = AuditEntry.objects.get(action="people.person.merge")
    assert entry.after["merged"] == absorb.pk and entry.note == "Same person, twice entered"
    with pytest.raises(PermissionDenied):
        services.merge_persons(people["committee"], keep, hood.persons[1], reason="x")


def test_two_records_with_different_ids_are_not_merged(hood, people):
    with pytest.raises(ValidationError) as caught:
        services.merge_persons(people["admin"], hood.persons[0], hood.persons[1], reason="x")
    assert "two persons" in caught.value.message_dict["absorb"][0]


def test_a_sensitive_tag_needs_consent_or_a_legal_basis(hood, people):
    person = hood.persons[0]
    disability = TagKind.objects.get(code="disability")
    tag_args = dict(
        kind=disability,
        source=PersonTag.Source.DISABLED_FEDERATION,
        valid_from=DAY,
        reason="Certificate shown",
        grade="2",
    )
    with pytest.raises(ValidationError) as caught:
        services.set_tag(people["committee"], person, **tag_args)
    assert "consent or a legal basis" in caught.value.message_dict["legal_basis"][0]
    consent = services.record_consent(
        people["committee"],
        person,
        purpose=ConsentRecord.Purpose.DISABILITY,
        given_on=DAY,
        channel=ConsentRecord.Channel.PAPER,
    )
    tag = services.set_tag(people["committee"], person, consent=consent, **tag_args)
    assert tag.in_force_on(DAY)
    # A grid worker sets ordinary tags in their grid, but no sensitive one.
    with pytest.raises(PermissionDenied):
        services.set_tag(people["grid1"], person, consent=consent, **tag_args)
    services.set_tag(
        people["grid1"],
        person,
        kind=TagKind.objects.get(code="living_alone"),
        source=PersonTag.Source.SURVEY,
        valid_from=DAY,
        reason="Visit",
    )
    # Withdrawing the consent ends the tag that rested on it.
    services.withdraw_consent(people["committee"], consent, on=dt.date(2026, 3, 5))
    tag.refresh_from_db()
    assert tag.ended_on == dt.date(2026, 3, 5) and not tag.in_force_on(dt.date(2026, 3, 6))
    kinds = [e.kind for e in services.person_history(person)]
    assert kinds[-2:] == ["tag_ended", "consent_withdrawn"]


def test_age_tags_follow_from_the_birth_date(hood, people):
    with pytest.raises(ValidationError) as caught:
        services.set_tag(
            people["admin"],
            hood.persons[0],
            kind=TagKind.objects.get(code="age_60"),
            source=PersonTag.Source.SURVEY,
            valid_from=DAY,
            reason="x",
        )
    assert "date of birth" in caught.value.message_dict["kind"][0]


def test_a_rental_record_names_tenants_and_makes_the_dwelling_rented(hood, people):
    dwelling = hood.dwellings[1]
    services.record_ownership(
        people["admin"], dwelling, person=hood.persons[1], share="1", exclusive_area_m2="56.4"
    )
    tenant = services.register_person(
        people["admin"],
        name="Zhao Tenant",
        on=DAY,
        dwelling=dwelling,
        registered_address="Anhui, Hefei",
        registered_here=False,
    )
    rental = services.record_rental(
        people["admin"], dwelling, tenants=[tenant], starts_on=DAY, ends_on=dt.date(2027, 2, 28)
    )
    dwelling.refresh_from_db()
    assert dwelling.tenure == Dwelling.Tenure.RENTED
    assert list(rental.tenants.all()) == [tenant]
    kinds = [e.kind for e in services.dwelling_history(dwelling)]
    assert "owner_recorded" in kinds and "rental_recorded" in kinds
    with pytest.raises(ValidationError):
        services.record_ownership(
            people["admin"],
            dwelling,
            share="0.5",
            exclusive_area_m2="10",
            person=tenant,
            organisation_name="Housing Co",
        )


def test_a_dwelling_floor_and_area_are_checked(hood, people):
    with pytest.raises(ValidationError) as caught:
        services.record_dwelling(
            people["admin"],
            building=hood.buildings[0],
            unit="1单元",
            number="901",
            floor=9,
            floor_area_m2="60",
        )
    assert "6 floors" in caught.value.message_dict["floor"][0]
    with pytest.raises(ValidationError) as caught:
        services.record_dwelling(
            people["admin"],
            building=hood.buildings[0],
            unit="1单元",
            number="601",
            floor=6,
            floor_area_m2="sixty",
        )
    assert "floor_area_m2" in caught.value.message_dict


def test_staff_who_do_not_work_on_the_building_change_nothing(hood, people):
    for who in ("grid2", "handler", "leader", "resident", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.move_out(people[who], hood.persons[0], on=DAY)


def test_the_starting_tag_kinds_come_back_after_the_database_is_emptied(db):
    """A flushed or freshly restored database gets the starting kinds again at ``migrate``;
    a kind the admin renamed keeps its name."""
    from django.core.management import call_command

    TagKind.objects.exclude(code="veteran").delete()
    TagKind.objects.filter(code="veteran").update(name="退役军人（含伤残）")

    call_command("migrate", verbosity=0)

    assert TagKind.objects.filter(code="living_alone").exists()
    assert TagKind.objects.count() == 11
    assert TagKind.objects.get(code="veteran").name == "退役军人（含伤残）"
