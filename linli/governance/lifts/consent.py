"""The consent count of Civil Code art. 278, in exact arithmetic (no Django, no floats).

Owners holding at least 2/3 of the exclusive area and at least 2/3 of the owners take part; of
those taking part, owners holding at least 3/4 of the area and at least 3/4 of the owners
agree. The ratios are parameters (``lifts.parameters``); areas are ``Decimal`` and every share
a ``Fraction``, so a unit at exactly 2/3 passes and one a square centimetre short does not.

Heads: each ``Owner`` here is one head — the caller groups co-owners of one dwelling into one,
and gives an owner of two dwellings once, with both areas (the Supreme People's Court's
interpretation on condominium ownership, art. 8–9).

A shortfall in agreement is counted against the owners taking part now: how many of them (or
how much of their area) would still have to agree. An owner who joins and agrees narrows it
by more than one, since the base grows too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

AGREE, OBJECT, ABSTAIN, ABSENT = "agree", "object", "abstain", "absent"
TAKING_PART = frozenset({AGREE, OBJECT, ABSTAIN})


@dataclass(frozen=True)
class Owner:
    key: int
    area: Decimal
    choice: str | None  # None: no vote recorded, counted as not taking part


@dataclass(frozen=True)
class Ratios:
    participation: Fraction
    agreement: Fraction


@dataclass(frozen=True)
class Threshold:
    """One of the four figures: what there is of the base, the share, and what is missing."""

    name: str  # participation_area, participation_heads, agreement_area, agreement_heads
    have: Fraction
    base: Fraction
    ratio: Fraction

    @property
    def share(self) -> Fraction:
        return self.have / self.base if self.base else Fraction(0)

    @property
    def met(self) -> bool:
        return self.base > 0 and self.have >= self.ratio * self.base

    @property
    def short_by(self) -> Fraction:
        """Area (m²) or heads still missing; 0 when met. Heads are whole: 6.01 heads is 7."""
        missing = self.ratio * self.base - self.have
        if self.name.endswith("heads"):
            return Fraction(max(0, math.ceil(missing)))
        return max(Fraction(0), missing)

    @property
    def short_heads(self) -> int:
        return int(self.short_by)

    @property
    def percent(self) -> Decimal:
        """The share in per cent, one decimal, rounded down so 66.66…% never shows as 66.7%."""
        value = self.share * 1000
        return (Decimal(value.numerator // value.denominator) / 10).quantize(Decimal("0.1"))

    @property
    def short_area_m2(self) -> Decimal:
        """The missing area rounded up to the square centimetre (0.01 m²)."""
        missing = self.short_by
        return (Decimal(missing.numerator) / Decimal(missing.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_CEILING
        )


@dataclass(frozen=True)
class Tally:
    participation_area: Threshold
    participation_heads: Threshold
    agreement_area: Threshold
    agreement_heads: Threshold
    owners: int
    agreeing: int
    objecting: int
    abstaining: int

    @property
    def thresholds(self) -> tuple[Threshold, ...]:
        return (
            self.participation_area,
            self.participation_heads,
            self.agreement_area,
            self.agreement_heads,
        )

    @property
    def passed(self) -> bool:
        return all(t.met for t in self.thresholds)

    @property
    def short(self) -> tuple[Threshold, ...]:
        return tuple(t for t in self.thresholds if not t.met)


def count(owners: Iterable[Owner], ratios: Ratios) -> Tally:
    owners = list(owners)
    total_area = sum((Fraction(o.area) for o in owners), Fraction(0))
    part = [o for o in owners if o.choice in TAKING_PART]
    agree = [o for o in part if o.choice == AGREE]
    part_area = sum((Fraction(o.area) for o in part), Fraction(0))
    agree_area = sum((Fraction(o.area) for o in agree), Fraction(0))
    p, a = ratios.participation, ratios.agreement
    return Tally(
        participation_area=Threshold("participation_area", part_area, total_area, p),
        participation_heads=Threshold(
            "participation_heads", Fraction(len(part)), Fraction(len(owners)), p
        ),
        agreement_area=Threshold("agreement_area", agree_area, part_area, a),
        agreement_heads=Threshold("agreement_heads", Fraction(len(agree)), Fraction(len(part)), a),
        owners=len(owners),
        agreeing=len(agree),
        objecting=sum(1 for o in part if o.choice == OBJECT),
        abstaining=sum(1 for o in part if o.choice == ABSTAIN),
    )
