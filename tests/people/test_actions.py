"""The pages of the residents' verbs, used as committee staff, grid workers and administrators
use them: each is offered only where its verb's rule allows, a bad input comes back on the
field (in the reader's language) with nothing written, a good one is recorded with its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.people import services
from linli.people.models import ConsentRecord, LifeEvent, Person, PersonTag, TagKind
from tests.people.helpers import resident_id

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 2)


def url(name: str, person: Person, **more: int) -> str:
    return reverse(f"people:{name}", kwargs={"pk": person.pk, **more})


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def errors_of(response) -> str:
    return response.content.decode()


def test_the_person_page_offers_what_each_may_do(hood, people, client_for):
    a0, a1 = hood.persons
    committee = client_for(people["committee"].user).get(url("person", a0)).content.decode()
    for name in ("move_in", "move_out", "death", "tag_new", "consent_new"):
        assert url(name, a0) in committee, name
    assert url("merge", a0) not in committee  # merging is the administrators'
    admin = client_for(people["admin"].user).get(url("person", a0)).content.decode()
    assert url("merge", a0) in admin
    # A resident who reads their household changes nothing; a dead person is not moved out.
    services.record_death(people["admin"], a1, on=DAY)
    dead = client_for(people["admin"].user).get(url("person", a1)).content.decode()
    assert url("move_out", a1) not in dead and url("death", a1) not in dead
    assert client_for(people["admin"].user).get(url("move_out", a1)).status_code == 403


def test_moving_out_and_death_through_their_pages(hood, people, client_for):
    a0 = hood.persons[0]
    client = client_for(people["grid1"].user)
    # The future and an empty date are refused on the field; nothing is written.
    future = client.post(url("move_out", a0), {"on": "2099-01-01"})
    assert future.status_code == 400 and "This date is in the future." in errors_of(future)
    empty = client.post(url("move_out", a0), {"on": ""})
    assert empty.status_code == 400 and "This field is required." in errors_of(empty)
    assert fresh(a0).status == Person.Status.LIVING
    done = client.post(url("move_out", a0), {"on": DAY.isoformat(), "note": "To Pudong"})
    assert done.status_code == 302 and done["Location"] == url("person", a0)
    a0 = fresh(a0)
    assert (a0.status, a0.status_since) == (Person.Status.MOVED_OUT, DAY)
    assert LifeEvent.objects.filter(person=a0, kind="moved_out", note="To Pudong").exists()
    # A death before the last change of status is refused, in Chinese for a Chinese reader.
    early = client.post(url("death", a0), {"on": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert early.status_code == 400
    assert "该日期早于该人员上一次状态变更日期。" in errors_of(early)
    assert client.post(url("death", a0), {"on": "2026-04-03"}).status_code == 302
    assert fresh(a0).status == Person.Status.DECEASED


def test_moving_in_picks_a_dwelling_the_worker_may_change(hood, people, client_for):
    a0 = hood.persons[0]
    client = client_for(people["grid1"].user)
    own, other = hood.dwellings
    # Searching offers the dwellings of the worker's grid only.
    found = client.post(url("move_in", a0), {"find": "1", "address": "301"})
    assert found.status_code == 200
    assert f'value="{own.pk}"' in found.content.decode()
    assert f'value="{other.pk}"' not in found.content.decode()
    refused = client.post(
        url("move_in", a0), {"address": "301", "dwelling": other.pk, "on": DAY.isoformat()}
    )
    assert refused.status_code == 400 and "Select a valid choice" in errors_of(refused)
    assert fresh(a0).status_since == dt.date(2026, 3, 1)
    # The administrator moves A1 from the other quarter into A0's dwelling.
    a1 = hood.persons[1]
    admin = client_for(people["admin"].user)
    moved = admin.post(
        url("move_in", a1), {"address": own.unit.building.number, "dwelling": own.pk, "on": DAY}
    )
    assert moved.status_code == 302
    assert fresh(a1).dwelling == own
    kinds = list(LifeEvent.objects.filter(person=a1).values_list("kind", flat=True))
    assert kinds[-2:] == ["moved_out", "moved_in"]


def test_moving_a_resident_in_from_the_dwelling_page(hood, people, client_for):
    own = hood.dwellings[0]
    a1 = hood.persons[1]
    admin = client_for(people["admin"].user)
    page = reverse("people:move_here", kwargs={"pk": own.pk})
    assert page in admin.get(reverse("people:dwelling", kwargs={"pk": own.pk})).content.decode()
    # Found by the whole ID number, which the form does not echo back.
    number = resident_id(dt.date(1951, 5, 17), 1)
    found = admin.post(page, {"find": "1", "find_id": number})
    assert f'value="{a1.pk}"' in found.content.decode() and number not in found.content.decode()
    assert admin.post(page, {"person": a1.pk, "on": DAY}).status_code == 302
    assert fresh(a1).dwelling == own


def test_an_overlong_search_is_refused_on_its_field(hood, people, client_for):
    """A search term beyond its field's length is refused there, in the reader's language, and
    nothing is searched (a cut term would find what the user did not type)."""
    a0 = hood.persons[0]
    admin = client_for(people["admin"].user)
    page = reverse("people:move_here", kwargs={"pk": hood.dwellings[0].pk})
    long_name = admin.post(page, {"find": "1", "find_name": "Resident A1" + "x" * 60})
    text = errors_of(long_name)
    assert long_name.status_code == 400
    assert 'id="id_find_name_error"' in text and "at most 50 characters" in text
    assert f'value="{hood.persons[1].pk}"' not in text
    long_id = admin.post(
        url("merge", a0), {"find": "1", "find_id": "1" * 31}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert long_id.status_code == 400 and 'id="id_find_id_error"' in errors_of(long_id)
    assert "不超过 30 字符" in errors_of(long_id)
    # A search within the limits shows no errors, even with the rest of the form still empty.
    fine = admin.post(page, {"find": "1", "find_name": "Resident A1"})
    assert fine.status_code == 200 and 'class="error"' not in errors_of(fine)
    assert f'value="{hood.persons[1].pk}"' in errors_of(fine)
    long_address = admin.post(url("move_in", a0), {"find": "1", "address": "3" * 101})
    assert long_address.status_code == 400 and 'id="id_address_error"' in errors_of(long_address)
    assert fresh(a0).dwelling == hood.persons[0].dwelling


def test_a_sensitive_tag_needs_consent_or_a_legal_basis(hood, people, client_for):
    a0 = hood.persons[0]
    client = client_for(people["committee"].user)
    disability = TagKind.objects.get(code="disability")
    tag = {
        "kind": disability.pk,
        "grade": "2",
        "source": PersonTag.Source.DISABLED_FEDERATION,
        "valid_from": DAY.isoformat(),
        "reason": "Disability certificate",
    }
    refused = client.post(url("tag_new", a0), tag)
    assert refused.status_code == 400
    assert "Sensitive information needs the person" in errors_of(refused)
    assert not PersonTag.objects.filter(person=a0).exists()
    # A consent recorded through its page, then the tag rests on it.
    consent = client.post(
        url("consent_new", a0),
        {"purpose": "disability", "channel": "paper", "given_on": DAY.isoformat()},
    )
    assert consent.status_code == 302
    record = ConsentRecord.objects.get(person=a0)
    assert client.post(url("tag_new", a0), {**tag, "consent": record.pk}).status_code == 302
    set_tag = PersonTag.objects.get(person=a0)
    assert (set_tag.consent, set_tag.grade) == (record, "2")
    # Grid workers are not offered sensitive kinds, and posting one is refused.
    grid = client_for(people["grid1"].user)
    assert disability.name not in grid.get(url("tag_new", a0)).content.decode()
    by_grid = grid.post(url("tag_new", a0), {**tag, "legal_basis": "Law"})
    assert by_grid.status_code == 400 and PersonTag.objects.filter(person=a0).count() == 1
    # Withdrawing the consent ends the tag that rested on it alone.
    early = client.post(url("consent_withdraw", a0, consent=record.pk), {"on": "2026-01-01"})
    assert early.status_code == 400 and "The withdrawal is before" in errors_of(early)
    done = client.post(url("consent_withdraw", a0, consent=record.pk), {"on": DAY.isoformat()})
    assert done.status_code == 302
    assert PersonTag.objects.get(person=a0).ended_on == DAY
    assert client.get(url("consent_withdraw", a0, consent=record.pk)).status_code == 403


def test_ending_a_tag_needs_a_reason_and_a_grid_worker_never_sees_a_sensitive_one(
    hood, people, client_for
):
    a0 = hood.persons[0]
    veteran = services.set_tag(
        people["admin"],
        a0,
        kind=TagKind.objects.get(code="veteran"),
        source=PersonTag.Source.VETERANS_AFFAIRS,
        valid_from=DAY,
        reason="Certificate",
    )
    dibao = services.set_tag(
        people["admin"],
        a0,
        kind=TagKind.objects.get(code="minimum_living"),
        source=PersonTag.Source.CIVIL_AFFAIRS,
        valid_from=DAY,
        reason="Civil affairs list",
        legal_basis="Social Assistance Measures art. 9",
    )
    grid = client_for(people["grid1"].user)
    assert grid.get(url("tag_end", a0, tag=dibao.pk)).status_code == 404
    page = grid.get(url("person", a0)).content.decode()
    assert url("tag_end", a0, tag=veteran.pk) in page
    no_reason = grid.post(url("tag_end", a0, tag=veteran.pk), {"on": DAY, "reason": " "})
    assert no_reason.status_code == 400 and "This field is required." in errors_of(no_reason)
    assert (
        grid.post(url("tag_end", a0, tag=veteran.pk), {"on": DAY, "reason": "Error"}).status_code
        == 302
    )
    assert PersonTag.objects.get(pk=veteran.pk).end_reason == "Error"
    assert url("tag_end", a0, tag=veteran.pk) not in grid.get(url("person", a0)).content.decode()


def test_merging_two_records_through_the_page(hood, people, client_for):
    a0 = hood.persons[0]
    admin = client_for(people["admin"].user)
    duplicate = services.register_person(
        people["admin"], name="Resident A0 (old)", on=DAY, mobile="13900001111"
    )
    found = admin.post(url("merge", a0), {"find": "1", "find_name": "A0 (old)"})
    assert f'value="{duplicate.pk}"' in found.content.decode()
    no_reason = admin.post(url("merge", a0), {"find_name": "A0 (old)", "absorb": duplicate.pk})
    assert no_reason.status_code == 400 and fresh(duplicate).status == Person.Status.LIVING
    # Two records with different ID numbers are two persons: refused on the field.
    a1 = hood.persons[1]
    two = admin.post(
        url("merge", a0), {"find_name": "Resident A1", "absorb": a1.pk, "reason": "Same"}
    )
    assert two.status_code == 400 and "two persons" in errors_of(two)
    merged = admin.post(
        url("merge", a0),
        {"find_name": "A0 (old)", "absorb": duplicate.pk, "reason": "Same person, old ledger"},
    )
    assert merged.status_code == 302
    assert fresh(duplicate).merged_into == a0
    assert AuditEntry.objects.filter(action="people.person.merge").count() == 1
    assert client_for(people["grid1"].user).get(url("merge", a0)).status_code == 403
