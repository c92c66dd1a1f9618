"""The life circle places people where they live: at their buildings, with their real ages.

On the street of ``tests/lifecircle/helpers.py`` (kindergarten at x=200 reaching 300 m, elderly
day care at x=800 reaching 240 m for residents over 60), West Lane gets two buildings: one at
x=150, next to the kindergarten, and one at x=700, next to the day care. Middle Yard and East
Court have no dwellings and keep their recorded totals at their gates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import demo_rng
from linli.core.roles import Role
from linli.lifecircle import analysis
from linli.people import demo as people_demo
from linli.people import services
from linli.people.models import Person
from tests.lifecircle.helpers import build_street, lonlat
from tests.people.helpers import resident_id

TODAY = dt.date(2026, 6, 15)
REGISTERED = dt.date(2026, 3, 1)


@pytest.fixture
def on_today(monkeypatch):
    moment = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def street(subdistrict):
    return build_street(subdistrict)


def settle_west_lane(subdistrict, street) -> None:
    """Building A (x=150): aged 85, 60 today, 60 tomorrow, 11, and one moved out, one dead,
    one merged away; building B (x=700): aged 70 and 30."""
    system = Access.system(subdistrict)
    west_lane = street["quarters"][0]
    sequence = iter(range(1, 100))

    def building(code: str, x: float):
        lon, lat = lonlat(x)
        made = services.record_building(
            system, quarter=west_lane, code=code, number=code, floors=6, lon=lon, lat=lat
        )
        return services.record_dwelling(
            system, building=made, unit="1", number="101", floor=1, floor_area_m2="50"
        )

    def live(dwelling, born: dt.date) -> Person:
        return services.register_person(
            system,
            name=f"Resident {born}",
            on=REGISTERED,
            resident_id=resident_id(born, next(sequence)),
            dwelling=dwelling,
        )

    with scope(subdistrict=subdistrict):
        a = building("A", 150)
        for born in (
            dt.date(1941, 3, 1),
            dt.date(1966, 6, 15),
            dt.date(1966, 6, 16),
            dt.date(2015, 1, 1),
        ):
            live(a, born)
        services.move_out(system, live(a, dt.date(1950, 1, 1)), on=REGISTERED)
        services.record_death(system, live(a, dt.date(1930, 1, 1)), on=REGISTERED)
        twin = live(a, dt.date(1952, 2, 2))
        Person.objects.filter(pk=twin.pk).update(status=Person.Status.MERGED)
        b = building("B", 700)
        live(b, dt.date(1956, 1, 1))
        live(b, dt.date(1996, 1, 1))


def figures(subdistrict) -> tuple[dict, dict]:
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        return (
            analysis.type_coverage(result, "kindergarten"),
            analysis.type_coverage(result, "elderly_day_care"),
        )


def by_name(summary: dict) -> dict:
    return {r["quarter"].name: r for r in summary["quarters"]}


def test_coverage_counts_the_people_at_their_buildings_with_their_ages(
    subdistrict, street, on_today
):
    settle_west_lane(subdistrict, street)
    kindergarten, day_care = figures(subdistrict)

    west = by_name(kindergarten)["West Lane"]
    assert west["homes"] == "dwellings"
    # Six people live in West Lane (not its recorded 100); building B is 500 m from the
    # kindergarten, so exactly its two residents are beyond reach.
    assert (west["total"], west["covered"], west["uncovered"]) == (6, 4, 2)
    # Building A is next to the kindergarten, at 50 m; before, the gate walked 100 m.
    assert west["farthest_m"] == pytest.approx(500, abs=0.5)
    # Residents over 60 by their dates of birth today: 85, 60 today and 70 (not 60 tomorrow).
    # Only the one of 70 lives in building B, 100 m from the day care.
    west_care = by_name(day_care)["West Lane"]
    assert (west_care["total"], west_care["covered"]) == (3, 1)

    # The quarters without dwellings keep their recorded totals at their gates.
    rows = by_name(kindergarten)
    assert rows["East Court"]["homes"] == rows["Middle Yard"]["homes"] == "synthetic"
    assert (rows["East Court"]["total"], rows["Middle Yard"]["covered"]) == (300, 100)
    assert kindergarten["total"] == 506 and kindergarten["covered"] == 104
    assert (day_care["total"], day_care["covered"]) == (163, 101)


def test_the_elderly_weighting_follows_the_calendar(subdistrict, street, on_today, monkeypatch):
    settle_west_lane(subdistrict, street)
    _, before = figures(subdistrict)
    tomorrow = dt.datetime(2026, 6, 16, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    _, after = figures(subdistrict)
    assert by_name(before)["West Lane"]["total"] == 3
    assert by_name(after)["West Lane"]["total"] == 4  # turned 60 today


def test_coverage_from_dwellings_differs_from_the_synthetic_one(subdistrict, street, on_today):
    synthetic, synthetic_care = figures(subdistrict)
    settle_west_lane(subdistrict, street)
    counted, counted_care = figures(subdistrict)
    # West Lane's recorded 100 residents at its gate, all within reach of the kindergarten,
    # against its six residents, two of them in a building beyond reach.
    assert synthetic["share"] == pytest.approx(200 / 600)
    assert counted["share"] == pytest.approx(104 / 506)
    assert synthetic_care["share"] == pytest.approx(100 / 200)
    assert counted_care["share"] == pytest.approx(101 / 163)


def test_a_quarter_whose_dwellings_are_empty_counts_nobody(subdistrict, street, on_today):
    system = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        building = services.record_building(
            system, quarter=street["quarters"][1], code="E1", number="1", floors=6
        )
        services.record_dwelling(
            system, building=building, unit="1", number="101", floor=1, floor_area_m2="50"
        )
    kindergarten, _ = figures(subdistrict)
    east = by_name(kindergarten)["East Court"]
    assert east["homes"] == "dwellings" and east["total"] == 0
    assert kindergarten["total"] == 300


def test_the_report_says_where_the_homes_come_from(subdistrict, street, on_today, make_user):
    settle_west_lane(subdistrict, street)
    client = Client()
    client.force_login(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    page = client.get(reverse("lifecircle:report"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "1 of 3 quarters is counted from the residents register" in html
    rows = {h["quarter"].name: h for h in page.context["report"]["homes"]}
    assert rows["West Lane"]["homes"] == "dwellings"
    assert (rows["West Lane"]["population"], rows["West Lane"]["over_80"]) == (6, 1)
    assert rows["East Court"]["homes"] == "synthetic" and rows["East Court"]["over_80"] is None
    api = client.get(reverse("api:lifecircle_report")).json()
    assert api["quarters_from_dwellings"] == 1
    assert {h["name"]: h["homes"] for h in api["homes"]} == {
        "West Lane": "dwellings",
        "East Court": "synthetic",
        "Middle Yard": "synthetic",
    }
    (coverage,) = client.get(reverse("api:lifecircle_coverage") + "?type=kindergarten").json()
    west = next(q for q in coverage["quarters"] if q["name"] == "West Lane")
    assert (west["homes"], west["total"], west["uncovered"]) == ("dwellings", 6, 2)
    # Counts per quarter only: no person leaves the residents register.
    assert "Resident 19" not in html and "Resident 19" not in str(api)


@dataclass
class _Home:
    code: str = "310106013"

    def username(self, name: str) -> str:
        return name


@dataclass
class _DemoContext:
    subdistrict: object
    home: _Home
    seed: int = 7

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)


def test_the_demo_residents_change_the_coverage(subdistrict, street, on_today):
    """The residents demo's generator on the street's quarters: coverage counted from its
    dwellings is not the synthetic figure, and counts exactly its residents."""
    synthetic, _ = figures(subdistrict)
    with scope(subdistrict=subdistrict):
        people_demo.load(_DemoContext(subdistrict, _Home()))
        living = Person.objects.filter(status=Person.Status.LIVING, dwelling__isnull=False)
        residents = living.count()
    counted, _ = figures(subdistrict)
    assert {r["homes"] for r in counted["quarters"]} == {"dwellings"}
    assert counted["total"] == residents
    assert counted["covered"] != pytest.approx(synthetic["covered"], abs=1)


def test_a_building_without_a_location_counts_at_its_quarters_gates(subdistrict, street, on_today):
    """Middle Yard's gates are at x=450 (250 m from the kindergarten) and x=550 (350 m)."""
    system = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        building = services.record_building(
            system, quarter=street["quarters"][2], code="M1", number="1", floors=6
        )
        dwelling = services.record_dwelling(
            system, building=building, unit="1", number="101", floor=1, floor_area_m2="50"
        )
        for sequence, born in enumerate((dt.date(1960, 1, 1), dt.date(1990, 1, 1)), start=1):
            services.register_person(
                system,
                name=f"Resident {sequence}",
                on=REGISTERED,
                resident_id=resident_id(born, sequence),
                dwelling=dwelling,
            )
    kindergarten, _ = figures(subdistrict)
    middle = by_name(kindergarten)["Middle Yard"]
    assert middle["homes"] == "dwellings" and middle["located"]
    assert (middle["total"], middle["covered"]) == (2, 1)
