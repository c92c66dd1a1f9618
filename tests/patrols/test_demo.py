"""The patrol demo: a plan per grid, a month of patrols for the grid with a worker, today's
patrol under way; the same on every load."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from django.db.models import Count
from django_scopes import scope, scopes_disabled

from linli.core.demo import demo_rng
from linli.core.models import Membership
from linli.core.roles import Role
from linli.governance.patrols import demo
from linli.governance.patrols.models import CheckIn, Patrol, PatrolPlan
from tests.factories import GridFactory, QuarterFactory, SubdistrictFactory, UserFactory

pytestmark = pytest.mark.django_db
SQUARE = [[121.45, 31.23], [121.46, 31.23], [121.46, 31.24], [121.45, 31.24], [121.45, 31.23]]


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


def loaded(code: str) -> dict:
    sub = SubdistrictFactory(code=code)
    grids = [
        GridFactory(
            subdistrict=sub, code=f"G{i}", polygon={"type": "Polygon", "coordinates": [SQUARE]}
        )
        for i in (1, 2)
    ]
    for i, grid in enumerate(grids):
        QuarterFactory(subdistrict=sub, grid=grid, entrances=[[121.451 + i / 100, 31.235]])
    with scopes_disabled():
        Membership.objects.create(
            subdistrict=sub, user=UserFactory(), role=Role.GRID_WORKER, grid=grids[0]
        )
    with scope(subdistrict=sub):
        demo.load(Context(sub, Home()))
        return {
            "plans": PatrolPlan.objects.count(),
            "patrols": dict(Patrol.objects.values_list("grid__code").annotate(n=Count("pk"))),
            "running": Patrol.objects.filter(status=Patrol.Status.IN_PROGRESS).count(),
            "results": dict(CheckIn.objects.values_list("result").annotate(n=Count("pk"))),
        }


def test_a_month_of_patrols_for_the_grid_with_a_worker():
    figures = loaded("310106911")
    assert figures["plans"] == 2
    # About 85% of 30 days, plus today's patrol; none for the grid without a worker.
    assert 20 <= figures["patrols"]["G1"] <= 31 and "G2" not in figures["patrols"]
    assert figures["running"] == 1
    results = figures["results"]
    # Mostly at the point; a few away or without a position.
    assert results["at_point"] >= 0.8 * sum(results.values())
    assert figures == loaded("310106912")
