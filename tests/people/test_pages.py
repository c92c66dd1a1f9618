"""The residents pages as committee staff and grid workers use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.people import services
from linli.people.models import ConsentRecord, PersonTag, TagKind
from tests.people.helpers import DAY

pytestmark = pytest.mark.django_db


def rows(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_committee_staff_find_their_quarter_by_name_id_mobile_and_address(hood, people, client_for):
    client = client_for(people["committee"].user)
    search = reverse("people:search")
    assert "Resident A0" in rows(client.post(search, {"name": "resident"}))
    assert "Resident A1" not in rows(client.post(search, {"name": "resident"}))
    mine, theirs = hood.persons
    found = rows(client.post(search, {"resident_id": mine.resident_id.lower()}))
    assert "Resident A0" in found and mine.resident_id_masked in found
    assert "Nothing found" in rows(client.post(search, {"resident_id": theirs.resident_id}))
    assert "Resident A0" in rows(client.post(search, {"mobile": "139-0000-5678"}))
    assert "Resident A0" in rows(client.get(search, {"address": "1号楼 301"}))
    assert "Nothing found" in rows(client.get(search, {"address": "2号楼"}))


def test_a_bad_filter_is_shown_on_its_field(hood, people, client_for):
    client = client_for(people["admin"].user)
    page = rows(client.get(reverse("people:search"), {"status": "emigrated"}))
    assert 'role="alert"' in page


def test_the_person_page_shows_history_tags_and_consent(hood, people, client_for):
    person = hood.persons[0]
    consent = services.record_consent(
        people["committee"],
        person,
        purpose=ConsentRecord.Purpose.ELDERLY_CARE,
        given_on=DAY,
        channel=ConsentRecord.Channel.IN_PERSON,
    )
    services.set_tag(
        people["committee"],
        person,
        kind=TagKind.objects.get(code="care_grade"),
        grade="3",
        source=PersonTag.Source.SURVEY,
        valid_from=DAY,
        reason="Assessment",
        consent=consent,
    )
    services.move_out(people["committee"], person, on=dt.date(2026, 5, 4))
    committee = rows(
        client_for(people["committee"].user).get(reverse("people:person", kwargs={"pk": person.pk}))
    )
    assert "Moved out" in committee and "Elderly care-needs grade 3" in committee
    assert "Elderly care services" in committee
    assert "60+" in committee  # born in 1950: the age tag follows from the ID
    grid = rows(
        client_for(people["grid1"].user).get(reverse("people:person", kwargs={"pk": person.pk}))
    )
    assert "care-needs" not in grid  # a sensitive tag
    dwelling = rows(
        client_for(people["grid1"].user).get(
            reverse("people:dwelling", kwargs={"pk": person.dwelling_id})
        )
    )
    assert "Resident A0" in dwelling and "Moved out" in dwelling


def test_the_api_searches_and_reads_masked(hood, people, client_for):
    client = client_for(people["grid2"].user)
    body = client.get(reverse("api:people_persons"), {"name": "Resident"}).json()
    assert [p["name"] for p in body["items"]] == ["Resident A1"]
    item = body["items"][0]
    assert item["mobile"] == "139****5678" and item["resident_id"].startswith("3101****")
    history = client.get(reverse("api:people_person_history", kwargs={"pk": item["id"]})).json()
    assert [e["kind"] for e in history] == ["registered", "moved_in"]
    assert (
        client.get(reverse("api:people_person", kwargs={"pk": hood.persons[0].pk})).status_code
        == 404
    )


def test_the_person_page_shows_what_the_services_above_report(hood, people, client_for):
    """An app above the registry (elderly care, meals) adds its entries to the person's page
    through a provider; the provider decides what the reader sees."""
    from linli.core import clock
    from linli.people.timeline import PERSON, TimelineEntry

    mine, theirs = hood.persons

    def meals(person, access):
        if person == mine and access.user == people["committee"].user:
            yield TimelineEntry(clock.now(), "meal", "Lunch delivered", "Point 1", "/meals/1/")

    PERSON.provider(meals)
    try:
        page = rows(
            client_for(people["committee"].user).get(reverse("people:person", args=[mine.pk]))
        )
        assert "Lunch delivered" in page and 'href="/meals/1/"' in page
        admin_page = rows(
            client_for(people["admin"].user).get(reverse("people:person", args=[mine.pk]))
        )
        assert "Lunch delivered" not in admin_page
    finally:
        PERSON.providers.remove(meals)
