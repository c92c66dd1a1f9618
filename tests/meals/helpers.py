"""A small meals world: the people tests' neighbourhood (a committee's quarter and another),
two providers each running a meal point, residents of every kind the subsidy tells apart, and
the clock set to a Monday morning in Shanghai."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict
from linli.livelihood.meals.models import MEAL_POINT
from linli.people import services as people
from linli.people.models import Person, TagKind
from linli.registry.models import Facility
from tests.factories import FacilityFactory, OrganisationFactory
from tests.people.helpers import Neighbourhood, build_neighbourhood, resident_id

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
MOBILE = "13955556666"


@dataclass
class Meals:
    hood: Neighbourhood
    provider: Organisation
    other_provider: Organisation
    point: Facility  # the provider's, capacity 3
    other_point: Facility  # the other provider's
    persons: dict[str, Person] = field(default_factory=dict)

    @property
    def subdistrict(self) -> Subdistrict:
        return self.hood.subdistrict


def build_meals(subdistrict: Subdistrict, tag: str = "A") -> Meals:
    hood = build_neighbourhood(subdistrict, tag)
    provider = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.PROVIDER, name=f"Meals provider {tag}"
    )
    other = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.PROVIDER, name=f"Other provider {tag}"
    )
    point = FacilityFactory(
        subdistrict=subdistrict,
        category=MEAL_POINT,
        name=f"Canteen {tag}",
        capacity=3,
        operator=provider,
        quarter=hood.quarters[0],
    )
    other_point = FacilityFactory(
        subdistrict=subdistrict,
        category=MEAL_POINT,
        name=f"Other canteen {tag}",
        capacity=50,
        operator=other,
        quarter=hood.quarters[1],
    )
    meals = Meals(hood, provider, other, point, other_point)
    system = Access.system(subdistrict)
    home = hood.dwellings[0]
    seq = 30 if tag == "A" else 60
    with scope(subdistrict=subdistrict):

        def register(key: str, born: dt.date, **more) -> Person:
            meals.persons[key] = people.register_person(
                system,
                name=f"{key.replace('_', ' ').title()} {tag}",
                on=dt.date(2020, 1, 1),
                resident_id=resident_id(born, seq + len(meals.persons)),
                **more,
            )
            return meals.persons[key]

        register("aged_65", dt.date(1960, 6, 1), dwelling=home, mobile=MOBILE if tag == "A" else "")
        register("aged_75", dt.date(1950, 6, 1), dwelling=home)
        register("aged_85", dt.date(1940, 6, 1), dwelling=home)
        register("aged_92", dt.date(1933, 6, 1), dwelling=home)
        register("aged_50", dt.date(1975, 6, 1), dwelling=home)
        # 人户分离: registered in another district, living here.
        register(
            "separated",
            dt.date(1950, 7, 1),
            dwelling=home,
            registered_here=False,
            registered_address="上海市普陀区",
        )
        # Registered here (hukou) but living in another district: no dwelling here.
        register("elsewhere", dt.date(1950, 8, 1), registered_address="本街道")
        hardship = register("hardship", dt.date(1950, 9, 1), dwelling=home)
        people.set_tag(
            system,
            hardship,
            kind=TagKind.objects.get(code="minimum_living"),
            source="civil_affairs",
            valid_from=dt.date(2025, 1, 1),
            reason="低保",
            legal_basis="《社会救助暂行办法》",
        )
    return meals
