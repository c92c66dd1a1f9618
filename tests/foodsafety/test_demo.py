"""The food-safety demo: establishments among the enterprises (caterers first, then the largest
employers' canteens), a year of inspections in the planner, some results and rectifications."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from django.db.models import Count
from django_scopes import scope

from linli.core.demo import demo_rng
from linli.core.models import Organisation
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult
from linli.governance.foodsafety import demo
from linli.governance.foodsafety.models import Establishment, ScheduledInspection
from tests.factories import EnterpriseFactory, OrganisationFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db


@dataclass
class Home:
    code: str = "310106900"


@dataclass
class Context:
    subdistrict: object
    home: Home
    seed: int = 7

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)


def test_the_demo_grades_caterers_and_plans_their_year(monkeypatch) -> None:
    monkeypatch.setattr(demo, "ESTABLISHMENTS", 30)
    sub = SubdistrictFactory(code="310106951")
    OrganisationFactory(subdistrict=sub, code="SCJG", kind=Organisation.Kind.AGENCY)
    for i in range(20):
        EnterpriseFactory(subdistrict=sub, industry_code="H6210", name=f"Restaurant {i}")
    for i in range(20):
        EnterpriseFactory(subdistrict=sub, headcount=100 + i, name=f"Employer {i}")
    ctx = Context(sub, Home())
    with scope(subdistrict=sub):
        assert demo.load(ctx) > 0
        kinds = dict(Establishment.objects.values_list("kind").annotate(n=Count("pk")))
        grades = set(Establishment.objects.values_list("grade", flat=True))
        plans = ScheduledInspection.objects.count()
        results = InspectionResult.objects.filter(plan__food_inspection__isnull=False).count()
        loaded_again = demo.STEPS[0].loaded(ctx)
        departments = set(InspectionPlan.objects.values_list("department__code", flat=True))
    assert sum(kinds.values()) == 30
    assert kinds["elderly"] == 6 and kinds["school"] == 5 and kinds["central_kitchen"] == 3
    assert kinds["canteen"] == 10  # the caterers first, then the largest employers
    assert grades == {"A", "B", "C", "D"}
    assert 30 <= plans <= 120 and departments == {"SCJG"}
    assert results > 0 and loaded_again
