"""The group-rental rules on crafted inspections (plain Python, no database)."""

from __future__ import annotations

from decimal import Decimal

from linli.core.parameters import Version
from linli.governance.rentals import checks
from linli.governance.rentals.parameters import MAX_PER_ROOM, MIN_AREA
from tests.rentals.helpers import rooms

TWO = Version(MAX_PER_ROOM, 2, None, "")
FIVE = Version(MIN_AREA, Decimal(5), None, "")


def rules_of(found: list[checks.Breach]) -> list[tuple[str, int | None]]:
    return [(b.rule, b.room) for b in found]


def test_a_family_of_four_in_one_room_is_allowed():
    flat = rooms(("bedroom", "14", 4, True), ("living_room", "12", 0), ("kitchen", "5", 0))
    assert checks.check(flat, max_per_room=TWO, min_area=FIVE) == []


def test_four_unrelated_adults_in_one_room_breach_the_room_rule():
    flat = rooms(("bedroom", "30", 4), ("kitchen", "5", 0))
    assert rules_of(checks.check(flat, max_per_room=TWO, min_area=FIVE)) == [("occupancy", 1)]


def test_four_unrelated_adults_in_two_rooms_of_8_m2_lack_living_area():
    """Two to a room is allowed, but 16 m² for 4 people is less than 4 × 5 m²."""
    flat = rooms(("bedroom", "8", 2), ("bedroom", "8", 2), ("bathroom", "3", 0))
    found = checks.check(flat, max_per_room=TWO, min_area=FIVE)
    assert rules_of(found) == [("area_per_person", None)]
    assert found[0].figures == {"area": "16", "people": "4", "each": "4", "least": "5"}
    assert found[0].parameter == MIN_AREA
    assert "4 m² each" in checks.describe(found[0].as_json())


def test_exactly_five_m2_a_person_passes():
    flat = rooms(("bedroom", "10", 2), ("bedroom", "10", 2))
    assert checks.check(flat, max_per_room=TWO, min_area=FIVE) == []


def test_a_let_balcony_is_a_breach_even_for_one_person():
    flat = rooms(("bedroom", "20", 1), ("balcony", "6", 1))
    found = checks.check(flat, max_per_room=TWO, min_area=FIVE)
    assert rules_of(found) == [("non_living_room", 2)]


def test_every_non_living_room_kind_is_a_breach_when_slept_in():
    for kind in ("kitchen", "bathroom", "balcony", "storeroom"):
        flat = rooms(("bedroom", "40", 1), (kind, "6", 1))
        assert rules_of(checks.check(flat, max_per_room=TWO, min_area=FIVE)) == [
            ("non_living_room", 2)
        ]


def test_non_living_rooms_do_not_count_as_living_area():
    """A 20 m² balcony does not make room for more people: only 8 m² is living area."""
    flat = rooms(("bedroom", "8", 2), ("balcony", "20", 0))
    found = checks.check(flat, max_per_room=TWO, min_area=FIVE)
    assert rules_of(found) == [("area_per_person", None)]


def test_the_numbers_are_the_versions_given_with_their_pk():
    """A later version allowing 3 to a room lets 3 sleep there and records its pk."""
    three = Version(MAX_PER_ROOM, 3, None, "", pk=41)
    flat = rooms(("bedroom", "30", 3))
    assert checks.check(flat, max_per_room=three, min_area=FIVE) == []
    four = rooms(("bedroom", "40", 4))
    (breach,) = checks.check(four, max_per_room=three, min_area=FIVE)
    assert (breach.rule, breach.limit, breach.version) == ("occupancy", "3", 41)
