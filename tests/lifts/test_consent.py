"""The consent count of Civil Code art. 278 on crafted units (exact arithmetic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from linli.governance.lifts import consent, services
from linli.governance.lifts.models import Choice
from tests.lifts.helpers import DAY, crafted_unit

RATIOS = consent.Ratios(Fraction(2, 3), Fraction(3, 4))


def owners(*rows: tuple[str, str | None]) -> list[consent.Owner]:
    return [consent.Owner(i, Decimal(area), choice) for i, (area, choice) in enumerate(rows)]


def test_heads_pass_but_area_fails():
    # Four small flats agree, the two large ones object: 4 of 6 heads agree but 3/4 of the
    # heads taking part needs 4.5, and 4 × 40 of 400 m² is far from 3/4 of the area.
    tally = consent.count(
        owners(*[("40", "agree")] * 4, ("120", "object"), ("120", "object")), RATIOS
    )
    assert tally.participation_area.met and tally.participation_heads.met
    assert not tally.agreement_area.met
    assert tally.agreement_area.short_by == Fraction(3, 4) * 400 - 160
    assert tally.agreement_area.short_area_m2 == Decimal("140.00")
    # Five small flats agree and one large objects: heads pass, area still fails.
    tally = consent.count(owners(*[("40", "agree")] * 5, ("300", "object")), RATIOS)
    assert tally.agreement_heads.met
    assert not tally.agreement_area.met
    assert [t.name for t in tally.short] == ["agreement_area"]
    assert not tally.passed


def test_participation_fails():
    # Everyone who took part agrees, but only 5 of 9 owners (and of the area) took part.
    tally = consent.count(owners(*[("50", "agree")] * 5, *[("50", None)] * 4), RATIOS)
    assert tally.agreement_area.met and tally.agreement_heads.met
    assert not tally.participation_heads.met and not tally.participation_area.met
    assert tally.participation_heads.short_heads == 1  # 6 of 9 is exactly 2/3
    assert tally.participation_area.short_area_m2 == Decimal("50.00")
    assert not tally.passed


def test_exactly_at_the_thresholds_passes():
    # 6 of 9 take part (exactly 2/3 of heads and area); 3/4 of those... 6 × 3/4 = 4.5, so
    # use 12 owners: 8 take part (2/3), 6 of them agree (3/4).
    rows = [*[("60", "agree")] * 6, ("60", "object"), ("60", "abstain"), *[("60", None)] * 4]
    tally = consent.count(owners(*rows), RATIOS)
    assert tally.participation_heads.share == Fraction(2, 3)
    assert tally.agreement_area.share == Fraction(3, 4)
    assert tally.passed
    # One square centimetre less of agreeing area and it fails.
    rows[0] = ("59.99", "agree")
    assert not consent.count(owners(*rows), RATIOS).agreement_area.met


@pytest.mark.usefixtures("system")
def test_an_owner_of_two_dwellings_counts_once_with_both_areas(subdistrict, quarter, system):
    unit, persons = crafted_unit(
        subdistrict,
        quarter,
        [
            ("101", 1, "50", ["Wang"]),
            ("201", 2, "50", ["Wang"]),
            ("301", 3, "70", ["Li", "Li's wife"]),
            ("401", 4, "70", ["Zhao"]),
        ],
    )
    project = services.open_project(system, unit, opened_on=DAY)
    voters = {v.label: v for v in project.voters.all()}
    # Heads: Wang (both flats), the couple of 301 as one, Zhao.
    assert sorted(voters) == ["Li · Li's wife", "Wang", "Zhao"]
    assert voters["Wang"].area_m2 == Decimal("100.00")
    assert voters["Li · Li's wife"].area_m2 == Decimal("70.00")
    on = DAY + dt.timedelta(days=3)
    services.record_vote(system, voters["Wang"], choice=Choice.AGREE, on=on, channel="paper")
    services.record_vote(system, voters["Zhao"], choice=Choice.AGREE, on=on, channel="paper")
    tally = services.tally(project, on)
    assert tally.owners == 3
    assert tally.participation_heads.have == 2
    assert tally.participation_area.have == 170
    assert tally.participation_area.base == 240
    assert tally.passed  # 2 of 3 owners and 170 of 240 m² take part; all agree
    # A later objection replaces Zhao's vote: 1 of 2 heads agree, short by one owner.
    services.record_vote(
        system, voters["Zhao"], choice=Choice.OBJECT, on=on, channel="visit", reason="Noise"
    )
    tally = services.tally(project, on)
    assert not tally.agreement_heads.met
    assert tally.agreement_heads.short_heads == 1
