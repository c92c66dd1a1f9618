"""Matching a prospect to vacant units, and the pipeline statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.core import clock
from linli.enterprise.investment import services
from linli.enterprise.investment.matching import matches_for
from linli.enterprise.investment.models import Prospect, VacantUnit
from linli.enterprise.investment.statistics import pipeline_statistics
from linli.enterprise.investment.vacancy import vacant_area
from tests.factories import BuildingFactory, credit_code
from tests.investment.conftest import PROSPECT_DATA, advance

pytestmark = pytest.mark.django_db


def unit(building, label, floor, area, rent, taken=False):
    return VacantUnit.objects.create(
        subdistrict=building.subdistrict,
        building=building,
        label=label,
        floor=floor,
        area_m2=Decimal(area),
        rent_per_m2_day=Decimal(rent),
        taken_at=clock.now() if taken else None,
    )


def test_units_are_ranked_by_fit_with_reasons(prospect, building, in_scope):
    best = unit(building, "A", 12, 500, "8.00")
    high = unit(building, "B", 25, 520, "8.00")
    dear = unit(building, "C", 15, 450, "12.00")
    unit(building, "D", 12, 1000, "6.00")  # twice the area needed
    unit(building, "E", 12, 500, "6.00", taken=True)
    matches = matches_for(prospect)
    # A floor outside the range weighs more than a rent a third over budget.
    assert [m.unit for m in matches] == [best, high, dear]
    assert all(r.met for r in matches[0].reasons)
    reasons = {m.unit.label: [(r.met, r.text) for r in m.reasons] for m in matches}
    assert (False, "floor 25 outside 10–20") in reasons["B"]
    assert (False, "rent 12.00 over budget 9.00 yuan/m²/day") in reasons["C"]


def test_vacancy_counts_free_units_or_the_building_figure(building, subdistrict, in_scope):
    bare = BuildingFactory(subdistrict=subdistrict, vacant_area_m2=Decimal("1234"))
    unit(building, "A", 3, 300, "5")
    unit(building, "B", 4, 200, "5", taken=True)
    assert vacant_area([building, bare]) == {building.pk: Decimal(300), bare.pk: Decimal(1234)}


def test_statistics_per_ambassador_and_source(prospect, as_ambassador, in_scope):
    other = services.save_prospect(as_ambassador, {**PROSPECT_DATA, "source": "agency"})
    services.move_prospect(other, actor=as_ambassador, to_stage="lost", reason="rent")
    third = services.save_prospect(as_ambassador, {**PROSPECT_DATA, "source": "agency"})
    signed = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    Prospect.objects.filter(pk=signed.pk).update(created_at=clock.now() - dt.timedelta(days=30))
    signed.refresh_from_db()
    services.register_prospect(
        signed, actor=as_ambassador, credit_code=credit_code(5), founded_on=dt.date(2026, 3, 1)
    )

    stats = pipeline_statistics(Prospect.objects.all())
    overall = stats.overall
    assert (overall.total, overall.registered, overall.lost, overall.open) == (3, 1, 1, 1)
    assert overall.conversion_closed == 0.5
    assert overall.conversion_all == pytest.approx(1 / 3)
    assert overall.median_days == pytest.approx(30, abs=0.1)
    sources = {f.key: f for f in stats.by_source}
    assert sources["fair"].registered == 1 and sources["agency"].lost == 1
    assert [f.label for f in stats.by_ambassador] == ["amb"]
    funnel = {step.stage: step.reached for step in stats.funnel}
    assert funnel == {
        "lead": 3,
        "contacted": 1,
        "negotiating": 1,
        "site_visit": 1,
        "signed": 1,
        "registered": 1,
    }
    assert third.stage == "lead"
