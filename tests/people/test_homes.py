"""The residents of each building, in counts, for the life circle (``linli.people.homes``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scope

from linli.core.access import Access
from linli.people import homes, services
from linli.people.models import Person
from tests.people.helpers import DAY, build_neighbourhood, resident_id

# The neighbourhood's two residents were born on 17 May 1950 and 1951.
ON = dt.date(2030, 5, 17)


def test_residents_are_counted_per_building_with_their_ages_in_one_query(
    subdistrict, other_subdistrict, django_assert_num_queries
):
    hood = build_neighbourhood(subdistrict)
    build_neighbourhood(other_subdistrict, "B")
    system = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        first, second = hood.buildings
        upstairs = services.record_dwelling(
            system, building=first, unit="1单元", number="302", floor=3, floor_area_m2="48"
        )

        def register(name: str, born: dt.date | None, sequence: int) -> Person:
            return services.register_person(
                system,
                name=name,
                on=DAY,
                resident_id=resident_id(born, sequence) if born else "",
                dwelling=upstairs,
            )

        register("Sixty today", dt.date(1970, 5, 17), 21)
        register("Sixty tomorrow", dt.date(1970, 5, 18), 22)
        register("A child", dt.date(2015, 1, 1), 23)
        register("No ID number", None, 0)
        services.move_out(system, register("Moved away", dt.date(1940, 1, 1), 24), on=DAY)
        services.record_death(system, register("Died", dt.date(1935, 1, 1), 25), on=DAY)
        empty = services.record_building(
            system, quarter=hood.quarters[0], code="AEMPTY", number="9号楼", floors=6
        )
        services.record_dwelling(
            system, building=empty, unit="1单元", number="101", floor=1, floor_area_m2="50"
        )
        services.record_building(
            system, quarter=hood.quarters[1], code="ANONE", number="10号楼", floors=6
        )

        with django_assert_num_queries(1):
            rows = homes.residents_by_building(subdistrict, ON)

    by_building = {r.building_id: r for r in rows}
    # The building without dwellings is not a home; the one whose dwelling is empty counts zero.
    assert set(by_building) == {first.pk, second.pk, empty.pk}
    # Resident A0 (80 today), sixty today, sixty tomorrow, the child and the one without an ID;
    # not who moved out or died.
    assert (by_building[first.pk].persons, by_building[first.pk].aged_60) == (5, 2)
    assert by_building[first.pk].aged_80 == 1
    assert (by_building[second.pk].persons, by_building[second.pk].aged_60) == (1, 1)
    assert by_building[second.pk].aged_80 == 0  # 79 until tomorrow
    assert (by_building[empty.pk].persons, by_building[empty.pk].quarter_id) == (
        0,
        hood.quarters[0].pk,
    )


@pytest.mark.parametrize(
    "day",
    [dt.date(2028, 2, 29), dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2030, 12, 31)],
)
def test_the_age_cut_off_agrees_with_the_age_of_a_person(day):
    for years in (60, 61, 80):
        for offset in range(-3, 4):
            born = homes.born_by(day, years) + dt.timedelta(days=offset)
            person = Person(birth_date=born)
            assert (born <= homes.born_by(day, years)) == (person.age_on(day) >= years)
