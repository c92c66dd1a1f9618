"""The demo pipeline: ~80 prospects across stages and sources with histories that obey the
pipeline, and vacant units that add up to each building's vacancy."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Sum
from django_scopes import scopes_disabled

from linli.demo.load import STEPS, _places, _subdistrict
from linli.enterprise.investment import demo
from linli.enterprise.investment.models import FORWARD, Prospect, StageChange, VacantUnit
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, FIRST_HOME
from linli.registry.models import Building

pytestmark = pytest.mark.django_db
NEEDED = ("organisations", "grids and quarters", "buildings", "staff accounts", "enterprises")


def load_first_home() -> DemoContext:
    places = _places(FIRST_HOME, DEMO_SEED)
    ctx = DemoContext(FIRST_HOME, _subdistrict(FIRST_HOME, places), places, DEMO_SEED)
    for step in STEPS:
        if step.name in NEEDED:
            step.load(ctx)
    return ctx


def summary(ctx: DemoContext) -> list[tuple]:
    return sorted(
        Prospect.objects.filter(subdistrict=ctx.subdistrict).values_list(
            "name", "stage", "source", "credit_code", "expected_tax"
        )
    )


def test_the_demo_pipeline():
    with scopes_disabled():
        ctx = load_first_home()
        assert not demo.loaded(ctx)
        assert demo.load(ctx) > 80
        assert demo.loaded(ctx)
        prospects = Prospect.objects.filter(subdistrict=ctx.subdistrict)
        stages = Counter(prospects.values_list("stage", flat=True))
        assert 75 <= prospects.count() <= 85
        assert set(stages) == {*FORWARD, "lost"}
        assert len(set(prospects.values_list("source", flat=True))) >= 5
        for prospect in prospects.filter(stage="registered"):
            assert prospect.enterprise.credit_code == prospect.credit_code
            assert prospect.enterprise.name == prospect.name
        for prospect in prospects:
            path = list(
                StageChange.objects.filter(prospect=prospect)
                .order_by("at", "id")
                .values_list("to_stage", flat=True)
            )
            assert path[0] == "lead" and path[-1] == prospect.stage
            forward = [s for s in path if s != "lost"]
            assert forward == list(FORWARD[: len(forward)])
            assert prospect.lost_reason if prospect.stage == "lost" else not prospect.lost_reason
        for building in Building.objects.filter(subdistrict=ctx.subdistrict):
            units = VacantUnit.objects.filter(building=building).aggregate(a=Sum("area_m2"))["a"]
            assert (units or 0) == building.vacant_area_m2
        first = summary(ctx)
    assert len({row[0] for row in first}) == len(first)  # names are unique
