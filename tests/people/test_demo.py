"""The residents demo: plausible, valid and the same on every load."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest
from django_scopes import scope

from linli.core.demo import demo_rng
from linli.core.pii import validate_resident_id
from linli.people import demo
from linli.people.models import Dwelling, Person, PersonTag, Rental, ResidentialBuilding
from tests.factories import GridFactory, QuarterFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db


@dataclass
class Home:
    code: str = "310106900"

    def username(self, name: str) -> str:
        return name


@dataclass
class Context:
    subdistrict: object
    home: Home
    seed: int = 7

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)


def loaded(code: str) -> tuple[Context, list[Person]]:
    sub = SubdistrictFactory(code=code)
    grid = GridFactory(subdistrict=sub)
    for code, name, built in (("Q1", "Old lanes", 1985), ("Q2", "New towers", 2008)):
        QuarterFactory(
            subdistrict=sub,
            code=code,
            grid=grid,
            name=name,
            built_year=built,
            population=600,
            over_60=180,
            polygon={
                "type": "Polygon",
                "coordinates": [
                    [[121.45, 31.23], [121.46, 31.23], [121.46, 31.24], [121.45, 31.23]]
                ],
            },
        )
    ctx = Context(sub, Home())
    with scope(subdistrict=sub):
        demo.load(ctx)
        return ctx, list(Person.objects.order_by("pk"))


def test_the_demo_homes_and_residents_are_plausible_and_valid() -> None:
    ctx, persons = loaded("310106950")
    with scope(subdistrict=ctx.subdistrict):
        assert 1000 <= len(persons) <= 1400
        assert 460 <= Dwelling.objects.count() <= 500
        for person in persons[:200]:
            assert validate_resident_id(person.resident_id).startswith("310106")
        ages = [p.age_on(demo.REFERENCE) for p in persons]
        elderly = sum(a >= 60 for a in ages) / len(ages)
        assert 0.2 < elderly < 0.4
        old = ResidentialBuilding.objects.filter(quarter__name="Old lanes")
        assert {b.floors for b in old} <= {6, 7} and not any(b.has_lift for b in old)
        assert all(b.built_year < 2000 for b in old)
        assert ResidentialBuilding.objects.filter(
            quarter__name="New towers", has_lift=True
        ).exists()
        rented = Dwelling.objects.filter(tenure=Dwelling.Tenure.RENTED).count()
        assert 0.12 < rented / Dwelling.objects.count() < 0.28
        assert Rental.objects.count() == rented
        away = sum(not p.registered_here for p in persons) / len(persons)
        assert 0.08 < away < 0.3
        alone = PersonTag.objects.filter(kind__code="living_alone")
        assert 8 <= alone.count() <= 60  # about 600 in 30,000
        sizes = {
            h: sum(p.household_id == h for p in persons) for h in {p.household_id for p in persons}
        }
        assert max(sizes.values()) <= 5 and 2.2 < len(persons) / len(sizes) < 3.0


def test_the_demo_is_the_same_on_every_load() -> None:
    _, first = loaded("310106951")
    _, second = loaded("310106952")
    assert [(p.name, p.birth_date, p.mobile) for p in first[:50]] == [
        (p.name, p.birth_date, p.mobile) for p in second[:50]
    ]
    assert first[0].birth_date < dt.date(2026, 1, 1)
