"""Crafted rooms for the group-rental tests."""

from __future__ import annotations

from decimal import Decimal

from linli.governance.rentals.checks import RoomFacts


def rooms(*specs: tuple[str, str, int] | tuple[str, str, int, bool]) -> list[RoomFacts]:
    """``(kind, area, sleepers[, one_family])`` per room, numbered from 1."""
    return [
        RoomFacts(
            position=n,
            kind=spec[0],
            area_m2=Decimal(spec[1]),
            sleepers=spec[2],
            one_family=bool(spec[3]) if len(spec) > 3 else False,  # type: ignore[misc]
        )
        for n, spec in enumerate(specs, start=1)
    ]
