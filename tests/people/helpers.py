"""A small neighbourhood for the people tests: two quarters in two grids, a building and a
dwelling in each, and valid (synthetic) resident ID numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict
from linli.core.pii import resident_id_check_digit
from linli.people import services
from linli.people.models import Dwelling, Person, ResidentialBuilding
from linli.registry.models import Grid, Quarter
from tests.factories import GridFactory, OrganisationFactory, QuarterFactory

DAY = dt.date(2026, 3, 1)


def resident_id(born: dt.date, sequence: int = 1, *, female: bool = False) -> str:
    """A valid GB 11643 number of Huangpu (310101): never anyone's, a synthetic sequence."""
    order = f"{sequence % 100:02d}{(sequence % 5) * 2 + (0 if female else 1)}"
    first17 = f"310101{born:%Y%m%d}{order}"
    return first17 + resident_id_check_digit(first17)


@dataclass
class Neighbourhood:
    subdistrict: Subdistrict
    committee: Organisation
    grids: tuple[Grid, Grid]
    quarters: tuple[Quarter, Quarter]
    buildings: tuple[ResidentialBuilding, ResidentialBuilding]
    dwellings: tuple[Dwelling, Dwelling]
    persons: tuple[Person, Person]  # one in each quarter


def build_neighbourhood(subdistrict: Subdistrict, tag: str = "A") -> Neighbourhood:
    system = Access.system(subdistrict)
    committee = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.COMMITTEE, name=f"Committee {tag}"
    )
    grids = (
        GridFactory(subdistrict=subdistrict, name=f"Grid {tag}1"),
        GridFactory(subdistrict=subdistrict, name=f"Grid {tag}2"),
    )
    quarters = (
        QuarterFactory(subdistrict=subdistrict, grid=grids[0], committee=committee),
        QuarterFactory(subdistrict=subdistrict, grid=grids[1]),
    )
    with scope(subdistrict=subdistrict):
        buildings = tuple(
            services.record_building(
                system,
                quarter=q,
                code=f"{tag}RB{i}",
                number=f"{i + 1}号楼",
                floors=6,
                built_year=1992,
                has_lift=False,
            )
            for i, q in enumerate(quarters)
        )
        dwellings = tuple(
            services.record_dwelling(
                system, building=b, unit="1单元", number="301", floor=3, floor_area_m2="56.4"
            )
            for b in buildings
        )
        persons = tuple(
            services.register_person(
                system,
                name=f"Resident {tag}{i}",
                on=DAY,
                resident_id=resident_id(dt.date(1950 + i, 5, 17), i + (7 if tag == "B" else 0)),
                mobile=f"139{i:04d}{'5678' if tag == 'A' else '4321'}",
                dwelling=d,
            )
            for i, d in enumerate(dwellings)
        )
    return Neighbourhood(
        subdistrict,
        committee,
        grids,
        quarters,
        buildings,
        dwellings,
        persons,  # type: ignore[arg-type]
    )
