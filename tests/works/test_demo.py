"""The sporadic-works demo: 60 registrations in every stage, the unregistered ones with their
cases, and a second load adds nothing."""

from __future__ import annotations

import pytest
from django_scopes import scope

from linli.cases.models import Case
from linli.governance.works import demo
from linli.governance.works.models import Works
from tests.factories import BuildingFactory, EnterpriseFactory
from tests.rentals.test_demo import Context, Home, street

pytestmark = pytest.mark.django_db


def test_sixty_works_in_every_stage(subdistrict):
    with scope(subdistrict=subdistrict):
        street(subdistrict)
        building = BuildingFactory(subdistrict=subdistrict)
        for n in range(5):
            EnterpriseFactory(subdistrict=subdistrict, building=building, name=f"Shop {n}")
        ctx = Context(subdistrict, Home())
        assert not demo.STEPS[0].loaded(ctx)
        demo.load(ctx)
        assert demo.STEPS[0].loaded(ctx)
        stages = {s: Works.objects.filter(stage=s).count() for s in Works.Stage.values}
        assert sum(stages.values()) == 60
        assert all(stages.values()), stages
        assert stages["unregistered"] == 3
        # Each unregistered finding has its own case; registered works have none.
        assert Case.objects.count() == 3
        assert Works.objects.filter(case__isnull=False).count() == 3
        places = set(Works.objects.values_list("place", flat=True))
        assert places == {"dwelling", "premises", "address"}
        # Completed works that needed an inspection passed one; waste works booked removal.
        for works in Works.objects.filter(stage="completed"):
            if works.needs_inspection:
                assert works.inspections.filter(passed=True).exists()
            if "waste" in works.scopes:
                assert works.removals.exists()
        assert Works.objects.filter(stage="rectify", inspections__passed=False).count() == 4
