"""Who sees which residents and homes (``linli/people/rules.py``)."""

from __future__ import annotations

import pytest
from django_scopes import scope

from linli.core.access import Access
from linli.people import services
from linli.people.models import Dwelling, LifeEvent, Person, PersonTag, ResidentialBuilding, TagKind
from tests.people.helpers import DAY, build_neighbourhood

pytestmark = pytest.mark.django_db


def names(access: Access) -> set[str]:
    return set(Person.objects.visible_to(access).values_list("name", flat=True))


def test_each_role_sees_the_residents_of_its_own_area(hood, people):
    assert names(people["admin"]) == {"Resident A0", "Resident A1"}
    assert names(people["committee"]) == {"Resident A0"}  # the committee's quarter
    assert names(people["grid1"]) == {"Resident A0"}
    assert names(people["grid2"]) == {"Resident A1"}
    for who in ("handler", "leader", "resident", "enterprise"):
        assert names(people[who]) == set(), who


def test_a_resident_sees_their_own_household_only(hood, people):
    system = Access.system(hood.subdistrict)
    household = services.create_household(system, number="H-1", dwelling=hood.dwellings[0])
    resident = people["resident"]
    me = services.register_person(
        system,
        name="Me",
        on=DAY,
        dwelling=hood.dwellings[0],
        household=household,
        relation=Person.Relation.HEAD,
        user=resident.user,
    )
    services.register_person(
        system,
        name="My mother",
        on=DAY,
        dwelling=hood.dwellings[0],
        household=household,
        relation=Person.Relation.PARENT,
    )
    assert names(resident) == {"Me", "My mother"}
    assert list(Dwelling.objects.visible_to(resident)) == [hood.dwellings[0]]
    assert not Person.objects.visible_to(resident, "change").exists()
    assert ResidentialBuilding.objects.visible_to(resident).count() == 0
    assert LifeEvent.objects.visible_to(resident).filter(person=me).exists()


def test_sensitive_tags_are_hidden_from_grid_workers(hood, people):
    person = hood.persons[0]
    services.set_tag(
        people["admin"],
        person,
        kind=TagKind.objects.get(code="low_income"),
        source=PersonTag.Source.CIVIL_AFFAIRS,
        valid_from=DAY,
        reason="Civil affairs list",
        legal_basis="Shanghai social assistance measures, art. 12",
    )
    services.set_tag(
        people["admin"],
        person,
        kind=TagKind.objects.get(code="veteran"),
        source=PersonTag.Source.VETERANS_AFFAIRS,
        valid_from=DAY,
        reason="List",
    )

    def kinds(who: str) -> set[str]:
        return set(PersonTag.objects.visible_to(people[who]).values_list("kind__code", flat=True))

    assert kinds("committee") == {"low_income", "veteran"}
    assert kinds("grid1") == {"veteran"}
    assert kinds("grid2") == set()


def test_another_sub_district_holds_nothing_of_these_residents(hood, people, other_subdistrict):
    other = build_neighbourhood(other_subdistrict, tag="B")
    seen_in_a = set(Person.objects.visible_to(people["admin"]).values_list("pk", flat=True))
    assert seen_in_a == {p.pk for p in hood.persons}
    with scope(subdistrict=other_subdistrict):
        seen_in_b = Person.objects.visible_to(Access.system(other_subdistrict))
        assert set(seen_in_b.values_list("pk", flat=True)) == {p.pk for p in other.persons}
