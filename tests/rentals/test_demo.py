"""The group-rental demo: 40 files in every stage, the overdue ones with their cases, and a
second load adds nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from django_scopes import scope

from linli.cases.models import Case
from linli.core.access import Access
from linli.core.demo import demo_rng
from linli.core.models import Organisation
from linli.governance.rentals import demo
from linli.governance.rentals.models import Certification, GroupRental, ReInspection
from linli.people import services as people
from linli.people.models import Dwelling
from tests.factories import GridFactory, OrganisationFactory, QuarterFactory

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


def street(subdistrict):
    """Three quarters of rented flats on the map, and the two departments of the demo."""
    system = Access.system(subdistrict)
    for code, name in (("FGB", "房管办"), ("CGZD", "城管中队")):
        OrganisationFactory(subdistrict=subdistrict, code=code, name=name)
    for q in range(3):
        quarter = QuarterFactory(subdistrict=subdistrict, grid=GridFactory(subdistrict=subdistrict))
        building = people.record_building(
            system,
            quarter=quarter,
            code=f"D{q}",
            number=f"{q + 1}号楼",
            floors=6,
            lon=121.45 + q / 100,
            lat=31.22,
        )
        for n in range(20):
            people.record_dwelling(
                system,
                building=building,
                unit="1单元",
                number=f"{n // 4 + 1}0{n % 4 + 1}",
                floor=n // 4 + 1,
                floor_area_m2="55",
                tenure=Dwelling.Tenure.RENTED,
            )


def test_forty_files_in_every_stage(subdistrict):
    with scope(subdistrict=subdistrict):
        street(subdistrict)
        ctx = Context(subdistrict, Home())
        assert not demo.STEPS[0].loaded(ctx)
        demo.load(ctx)
        assert demo.STEPS[0].loaded(ctx)
        stages = {s: GroupRental.objects.filter(stage=s).count() for s in GroupRental.Stage.values}
        assert sum(stages.values()) == 40
        assert all(stages.values()), stages
        assert stages["closed"] == 10  # 4 without breach, 6 rectified
        # The overdue notices and re-inspections have their cases, opened by the sweep.
        overdue = ReInspection.objects.filter(overdue_case__isnull=False).count()
        assert overdue >= 2
        assert Case.objects.count() == overdue + 2
        departments = set(
            Organisation.objects.filter(code__in=("FGB", "CGZD")).values_list("pk", flat=True)
        )
        for file in GroupRental.objects.filter(enforcements__isnull=False).distinct():
            enforcement = file.enforcements.get()
            assert set(enforcement.departments.values_list("pk", flat=True)) == departments
        # A quarter whose files are all closed is certified, if there is one.
        for certification in Certification.objects.all():
            assert not GroupRental.objects.filter(
                dwelling__unit__building__quarter=certification.quarter
            ).exclude(stage="closed")
