"""Crafted units for the consent tests: each dwelling with its area and its owner(s)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.people import services as people
from linli.people.models import Person, Unit
from linli.registry.models import Quarter

DAY = dt.date(2026, 3, 2)


def crafted_unit(
    subdistrict: Subdistrict,
    quarter: Quarter,
    dwellings: Sequence[tuple[str, int, str, Sequence[str]]],
    *,
    code: str = "LB1",
) -> tuple[Unit, dict[str, Person]]:
    """A six-floor building without a lift and one unit whose dwellings are
    (number, floor, area, owner names); an owner name used twice is one person."""
    system = Access.system(subdistrict)
    building = people.record_building(
        system, quarter=quarter, code=code, number="9号楼", floors=6, built_year=1990
    )
    persons: dict[str, Person] = {}
    unit = None
    for number, floor, area, owners in dwellings:
        dwelling = people.record_dwelling(
            system, building=building, unit="1单元", number=number, floor=floor, floor_area_m2=area
        )
        unit = dwelling.unit
        for name in owners:
            if name not in persons:
                persons[name] = people.register_person(system, name=name, on=DAY)
            people.record_ownership(
                system,
                dwelling,
                person=persons[name],
                share=f"{1 / len(owners):.4f}",
                exclusive_area_m2=area,
            )
    assert unit is not None
    return unit, persons
