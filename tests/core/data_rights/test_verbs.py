"""Personal-data rights (PIPL ch. IV): a person's data exported for them, corrected or erased
with an audited reason, across every app that registered where it keeps it."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_scopes import scopes_disabled

from linli.cases.models import Case, CaseReporter
from linli.core import data_rights
from linli.core.access import Access
from linli.core.data_rights import Person
from linli.core.models import AuditEntry, Notification
from linli.core.personal_data import REGISTER
from linli.core.roles import Role
from linli.core.services import correct_person, erase_person, export_person
from linli.enterprise.investment.models import Prospect
from linli.registry.models import Enterprise
from tests.core.data_rights.conftest import EMAIL, NAME, PHONE, REASON
from tests.factories import MembershipFactory, UserFactory


def section(export: dict, key: str) -> list[dict]:
    return next((s["rows"] for s in export["sections"] if s["key"] == key), [])


def test_every_registered_personal_field_is_covered_by_a_holder() -> None:
    """Each field of the personal-data register can be exported, corrected and erased."""
    covered = {
        (holder.model, f"{a.name}_cipher")
        for holder in data_rights.HOLDERS.values()
        for a in holder.attributes
        if a.kind == data_rights.PHONE
    }
    assert {(f.model, f.cipher_field) for f in REGISTER.values()} <= covered


def test_a_person_exports_their_own_data_from_each_app_and_nothing_of_others(office, person):
    mine = export_person(office.access(office.resident), Person(user=office.resident))
    json.dumps(mine)  # JSON-able as it is
    assert section(mine, "core.user")[0]["phone"] == PHONE  # decrypted for the export
    assert section(mine, "core.user")[0]["display_name"] == NAME
    assert [r["role"] for r in section(mine, "core.membership")] == ["Resident"]
    assert [r["case"] for r in section(mine, "cases.reporter")] == [person["own"].number]
    assert section(mine, "core.notification")  # "received" in the inbox
    text = json.dumps(mine)
    assert person["theirs"].number not in text and "Noise at night" not in text
    # Matched by account only: the number in her profile proves nothing, so the enterprise
    # and the hotline call are for staff to export on request.
    assert not section(mine, "registry.enterprise_contact")
    entry = AuditEntry.objects.get(action="core.person.export")
    assert entry.object_id == str(office.resident.pk) and entry.note == ""


def test_an_administrator_exports_on_request_by_account_and_number(office, person):
    found = export_person(person["admin"], Person(user=office.resident, phone=PHONE), reason=REASON)
    assert {r["case"] for r in section(found, "cases.reporter")} == {
        person["own"].number,
        person["called"].number,
    }
    contacts = section(found, "registry.enterprise_contact")
    assert [(r["contact_name"], r["contact_phone"]) for r in contacts] == [(NAME, PHONE)]
    assert [r["prospect"] for r in section(found, "investment.prospect_contact")] == [
        "Future Robotics"
    ]
    assert "Zhao Lei" not in json.dumps(found) and person["theirs"].number not in json.dumps(found)
    entry = AuditEntry.objects.get(action="core.person.export")
    assert entry.note == REASON and PHONE not in json.dumps(entry.after)
    with pytest.raises(ValidationError) as refused:
        export_person(person["admin"], Person(phone=PHONE), reason="  ")
    assert "reason" in refused.value.message_dict


def test_a_resident_cannot_export_someone_else(office, person):
    me = office.access(office.resident)
    with pytest.raises(PermissionDenied):
        export_person(me, Person(user=office.neighbour))
    with pytest.raises(PermissionDenied):  # nor widen their own by a number
        export_person(me, Person(user=office.resident, phone="13700001111"))
    with pytest.raises(PermissionDenied):
        export_person(office.access(office.handler_a), Person(user=office.resident), reason="x")
    assert not AuditEntry.objects.filter(action="core.person.export").exists()


def test_a_correction_needs_a_reason_and_is_audited_without_the_values(office, person):
    who = Person(phone=PHONE)
    firm = person["enterprise"]
    with pytest.raises(ValidationError) as refused:
        correct_person(
            person["admin"],
            who,
            holder="registry.enterprise_contact",
            row=firm.pk,
            attribute="contact_phone",
            value="12345",
            reason=REASON,
        )
    assert "value" in refused.value.message_dict
    with pytest.raises(ValidationError):
        correct_person(
            person["admin"],
            who,
            holder="registry.enterprise_contact",
            row=firm.pk,
            attribute="contact_name",
            value="Wang Fang-Li",
            reason="",
        )
    with pytest.raises(Http404):  # a row that is not about this person
        correct_person(
            person["admin"],
            who,
            holder="registry.enterprise_contact",
            row=person["other_firm"].pk,
            attribute="contact_name",
            value="Someone",
            reason=REASON,
        )
    correct_person(
        person["admin"],
        who,
        holder="registry.enterprise_contact",
        row=firm.pk,
        attribute="contact_name",
        value="Wang Fang-Li",
        reason=REASON,
    )
    firm.refresh_from_db()
    assert firm.contact_name == "Wang Fang-Li"
    entry = AuditEntry.objects.get(action="core.person.correct")
    assert (entry.object_type, entry.object_id, entry.note) == (
        "registry.enterprise",
        str(firm.pk),
        REASON,
    )
    assert entry.after == {"holder": "registry.enterprise_contact", "fields": ["contact_name"]}
    with pytest.raises(PermissionDenied):
        correct_person(
            office.access(office.resident),
            Person(user=office.resident),
            holder="core.user",
            row=office.resident.pk,
            attribute="display_name",
            value="Someone else",
            reason=REASON,
        )


def test_erasure_anonymises_the_person_everywhere_and_keeps_the_records(office, person):
    user = office.resident
    touched = erase_person(person["admin"], Person(user=user, phone=PHONE), reason=REASON)
    assert touched["cases.reporter"] == 2 and touched["core.user"] == 1

    user.refresh_from_db()
    assert (user.username, user.is_active, user.has_usable_password()) == (
        f"erased-{user.pk}",
        False,
        False,
    )
    assert (user.display_name, user.email, user.phone_cipher, user.phone_hash) == ("", "", "", "")
    for case in (person["own"], person["called"]):
        assert Case.objects.filter(pk=case.pk).exists()  # the record stays
        reporter = CaseReporter.objects.get(case=case)
        assert (reporter.name, reporter.phone_cipher, reporter.phone_hash) == ("", "", "")
    for model, pk in ((Enterprise, person["enterprise"].pk), (Prospect, person["prospect"].pk)):
        row = model.objects.get(pk=pk)
        assert (row.contact_name, row.contact_phone_cipher, row.contact_phone_hash) == ("", "", "")
    assert not Notification.objects.filter(user=user).exists()
    # Nobody else's data is touched.
    assert Enterprise.objects.get(pk=person["other_firm"].pk).contact_name == "Zhao Lei"
    assert CaseReporter.objects.get(case=person["theirs"]).user == office.neighbour

    entries = list(AuditEntry.objects.filter(action="core.person.erase"))
    assert entries and {e.note for e in entries} == {REASON}
    logged = json.dumps(
        [[e.object_type, e.object_id, e.object_repr, e.before, e.after, e.note] for e in entries]
    )
    for value in (NAME, PHONE, EMAIL, "Wang"):
        assert value not in logged
    assert "registry.enterprise_contact" in logged and "contact_phone" in logged


def test_who_may_erase(office, person, other_subdistrict):
    with pytest.raises(PermissionDenied):
        erase_person(office.access(office.resident), Person(user=office.neighbour), reason=REASON)
    with pytest.raises(PermissionDenied):  # not one's own account
        erase_person(person["admin"], Person(user=person["admin"].user), reason=REASON)
    stranger = UserFactory()
    with scopes_disabled():
        MembershipFactory(user=stranger, subdistrict=other_subdistrict, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):  # an account of another sub-district
        erase_person(person["admin"], Person(user=stranger), reason=REASON)
    commuter = office.neighbour
    with scopes_disabled():
        MembershipFactory(user=commuter, subdistrict=other_subdistrict, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):  # used in another sub-district too
        erase_person(person["admin"], Person(user=commuter), reason=REASON)
    assert erase_person(
        Access.for_user(person["admin"].user, office.subdistrict),
        Person(phone="13700001111"),
        reason=REASON,
    ) == {"registry.enterprise_contact": 1}
