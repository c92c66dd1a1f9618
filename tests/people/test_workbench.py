"""The residents' panel of the home page for residents' committee staff: their quarters only,
recent moves, tags that expire this month, and the elderly living alone with a link to them."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.urls import reverse

from linli.core import clock
from linli.core.workbench import panels
from linli.people import services
from linli.people.models import PersonTag, TagKind
from tests.people.helpers import resident_id

pytestmark = pytest.mark.django_db


def panel_of(access):
    return {p.key: p for p in panels(access)}.get("people.committee")


def test_committee_staff_see_their_quarters_work(hood, people, client_for):
    today = clock.today()
    admin = people["admin"]
    own, other = hood.dwellings
    old = services.register_person(
        admin,
        name="Old Wang",
        on=dt.date(2020, 1, 1),
        resident_id=resident_id(dt.date(1940, 2, 2), 21),
        dwelling=own,
    )
    elsewhere = services.register_person(
        admin,
        name="Old Li",
        on=dt.date(2020, 1, 1),
        resident_id=resident_id(dt.date(1939, 3, 3), 22),
        dwelling=other,
    )
    alone = TagKind.objects.get(code="living_alone")
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    for person in (old, elsewhere):
        services.set_tag(
            admin,
            person,
            kind=alone,
            source=PersonTag.Source.SURVEY,
            valid_from=dt.date(2025, 1, 1),
            valid_until=month_end,
            reason="Survey",
        )
    services.move_out(admin, hood.persons[0], on=today - dt.timedelta(days=3))
    services.move_out(admin, hood.persons[1], on=today - dt.timedelta(days=3))

    view = panel_of(people["committee"])
    figures = {str(f.label): f.value for f in view.figures}
    # Quarter 1 only: Old Wang lives there (A0 moved out); Old Li lives in the other quarter.
    assert figures == {
        "residents living here": 1,
        "aged 80 and over, living alone": 1,
        "tags expiring this month": 1,
    }
    moves, expiring = view.lists
    assert [i.title for i in moves.items] == ["Resident A0"]
    assert [i.title for i in expiring.items] == ["Old Wang"]
    # The figure's link is the search that lists exactly them.
    link = next(f.url for f in view.figures if f.value == 1 and "alone" in str(f.label))
    client = client_for(people["committee"].user)
    listed = client.get(link).content.decode()
    assert "Old Wang" in listed and "Old Li" not in listed and "Resident A0" not in listed
    assert "Residents of my quarters" in client.get(reverse("home")).content.decode()


def test_the_panel_is_for_committee_staff_only(hood, people):
    assert panel_of(people["committee"]) is not None
    for who in ("admin", "grid1", "handler", "resident"):
        assert panel_of(people[who]) is None, who


def test_searching_by_a_sensitive_tag_tells_a_grid_worker_nothing(hood, people, client_for):
    a0 = hood.persons[0]
    services.set_tag(
        people["admin"],
        a0,
        kind=TagKind.objects.get(code="minimum_living"),
        source=PersonTag.Source.CIVIL_AFFAIRS,
        valid_from=dt.date(2026, 3, 1),
        reason="Civil affairs list",
        legal_basis="Social Assistance Measures art. 9",
    )
    search = reverse("people:search") + "?tag=minimum_living"
    assert "Resident A0" in client_for(people["committee"].user).get(search).content.decode()
    assert "Resident A0" not in client_for(people["grid1"].user).get(search).content.decode()
    everyone = client_for(people["grid1"].user).get(reverse("people:search")).content.decode()
    assert "Resident A0" in everyone


def test_the_search_form_offers_the_tags_its_reader_may_see(hood, people, client_for):
    search = reverse("people:search") + "?tag=living_alone&aged_from=80"
    committee = client_for(people["committee"].user).get(search).content.decode()
    # The filters the panel's link set are shown in the form, by their names, and can be changed.
    assert '<option value="living_alone" selected>' in committee
    assert 'name="aged_from" min="0" max="130" inputmode="numeric" value="80"' in committee
    assert 'value="minimum_living"' in committee
    grid = client_for(people["grid1"].user).get(search).content.decode()
    assert 'value="minimum_living"' not in grid and 'value="living_alone"' in grid
    # An age-derived kind is searched by age, not offered as a tag.
    assert 'value="aged_60"' not in committee
