"""The district roll-up: every sub-district of a district side by side, ranked on each
indicator.

This is the one place where several sub-districts meet. Each sub-district's figures are
computed inside its own scope with its own system access, and only the figures leave it: no
row, no list link (``Figure.url`` and the parts are dropped). Going further into a
sub-district takes a membership there, checked by the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_scopes import scope

from linli.cockpit.indicators import INDICATORS, Indicator, Period
from linli.core.access import Access
from linli.core.models import District, Subdistrict, User


@dataclass(frozen=True)
class Cell:
    subdistrict: Subdistrict
    value: float | int | None
    #: 1 for the best; sub-districts with the same figure share a rank; None without a figure.
    rank: int | None


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    cells: tuple[Cell, ...]


def districts_of(user: User) -> list[District]:
    """The districts whose roll-up ``user`` may read, by code."""
    return list(District.objects.filter(members__user=user).order_by("code"))


def ranks(values: list[float | int | None], lower_is_better: bool) -> list[int | None]:
    """Competition ranks (1, 1, 3) of ``values``, the best first; None stays unranked."""
    known = sorted((v for v in values if v is not None), reverse=not lower_is_better)
    return [None if v is None else known.index(v) + 1 for v in values]


def rollup(district: District, period: Period) -> tuple[list[Subdistrict], list[Row]]:
    """The district's sub-districts (by code) and, per indicator, each one's figure and rank."""
    subdistricts = list(district.subdistricts.order_by("code"))
    values: dict[str, list[float | int | None]] = {key: [] for key in INDICATORS}
    for subdistrict in subdistricts:
        system = Access.system(subdistrict)
        with scope(subdistrict=subdistrict):
            for key, item in INDICATORS.items():
                values[key].append(item.compute(system, period).value)
    rows = [
        Row(
            item,
            tuple(
                Cell(sd, value, rank)
                for sd, value, rank in zip(
                    subdistricts,
                    values[key],
                    ranks(values[key], item.lower_is_better),
                    strict=True,
                )
            ),
        )
        for key, item in INDICATORS.items()
    ]
    return subdistricts, rows
