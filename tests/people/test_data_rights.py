"""A resident's rights over their record (PIPL ch. IV) through core's verbs."""

from __future__ import annotations

import pytest

from linli.core.data_rights import Person as Subject
from linli.core.services import erase_person, export_person
from linli.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_resident_exports_their_record_and_an_administrator_erases_it(hood, people):
    resident = people["resident"]
    person = hood.persons[0]
    Person.objects.filter(pk=person.pk).update(user=resident.user)
    export = export_person(resident, Subject(user=resident.user))
    (section,) = [s for s in export["sections"] if s["key"] == "people.person"]
    assert section["rows"][0]["resident_id"] == person.resident_id  # in full, for themself
    assert section["rows"][0]["mobile"] == person.mobile
    erase_person(people["admin"], Subject(phone=person.mobile), reason="Request of 3 March")
    person.refresh_from_db()
    assert (person.name, person.mobile_cipher, person.resident_id_hash) == ("", "", "")
    assert person.events.exists()  # the history stays
