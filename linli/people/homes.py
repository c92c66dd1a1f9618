"""Who lives where, in counts: the residents of each residential building, for the apps above.

The life circle places its homes here. Only counts per building leave the app: no person, no
date of birth, no dwelling. The counting is done by the database in one grouped query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from linli.core.models import Subdistrict
from linli.people.models import Person, ResidentialBuilding


@dataclass(frozen=True)
class BuildingResidents:
    """The residents of one building: persons living here whose actual residence is in it."""

    building_id: int
    quarter_id: int
    #: The building's location (the home point), None if it has none.
    lon: float | None
    lat: float | None
    persons: int
    aged_60: int
    aged_80: int


def born_by(day: dt.date, years: int) -> dt.date:
    """The last date of birth of someone who is ``years`` old on ``day`` (``Person.age_on``):
    on 29 February of a year whose counterpart is not a leap year, 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def residents_by_building(subdistrict: Subdistrict, on: dt.date) -> list[BuildingResidents]:
    """Every residential building of the sub-district that has dwellings, with the persons
    living in them on ``on`` (status *living here*, actual residence one of its dwellings) and
    those of them aged 60 and over and 80 and over on that day; a building whose dwellings are
    all empty has zero persons. Moved-out, deceased and merged records are not counted."""
    person = "units__dwellings__persons"
    living = Q(**{f"{person}__status": Person.Status.LIVING})
    rows = (
        ResidentialBuilding.objects.filter(subdistrict=subdistrict, units__dwellings__isnull=False)
        .values("pk", "quarter_id", "lon", "lat")
        .annotate(
            persons=Count(person, filter=living),
            aged_60=Count(
                person, filter=living & Q(**{f"{person}__birth_date__lte": born_by(on, 60)})
            ),
            aged_80=Count(
                person, filter=living & Q(**{f"{person}__birth_date__lte": born_by(on, 80)})
            ),
        )
        .order_by("pk")
    )
    return [
        BuildingResidents(
            building_id=r["pk"],
            quarter_id=r["quarter_id"],
            lon=r["lon"],
            lat=r["lat"],
            persons=r["persons"],
            aged_60=r["aged_60"],
            aged_80=r["aged_80"],
        )
        for r in rows
    ]
