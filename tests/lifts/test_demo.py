"""The lift demo: projects in every stage, votes that agree with each project's stage."""

from __future__ import annotations

from collections import Counter

import pytest
from django_scopes import scope

from linli.governance.lifts import demo, services
from linli.governance.lifts.models import Project, Stage
from linli.people import demo as people_demo
from tests.factories import GridFactory, QuarterFactory, SubdistrictFactory
from tests.people.test_demo import Context, Home

pytestmark = pytest.mark.django_db


def test_projects_in_every_stage_consistent_with_their_votes():
    sub = SubdistrictFactory(code="310106901")
    grid = GridFactory(subdistrict=sub)
    QuarterFactory(
        subdistrict=sub, code="Q1", grid=grid, built_year=1984, population=2600, over_60=800
    )
    ctx = Context(sub, Home())
    with scope(subdistrict=sub):
        people_demo.load(ctx)
        assert demo.load(ctx) == 25
        projects = list(Project.objects.select_related("unit__building"))
        stages = Counter(p.stage for p in projects)
        assert set(stages) == {s.value for s in Stage}
        for p in projects:
            assert p.unit.building.floors in (6, 7) and not p.unit.building.has_lift
            assert p.unit.building.built_year < 2000
            assert p.stages.count() == p.stage
            tally = services.tally(p)
            if p.stage > Stage.SURVEY:
                assert tally.passed, p
                assert p.consent_decided_on is not None
        short = [services.tally(p) for p in projects if p.stage == Stage.SURVEY]
        assert any(
            [t.name for t in tally.short] == ["participation_heads"]
            and tally.participation_heads.short_heads == 1
            for tally in short
        )
