"""Every role's home in the permission world: the panels of that role's work, and an
empty-state sentence for a role with no work of its own on the home page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from linli.core.roles import Role
from tests.core.matrix import populated_world
from tests.core.test_workbench import panels_of, section
from tests.core.world import ROLES, World

# The panels each role's home shows in the permission world (one person per role).
EXPECTED = {
    Role.PLATFORM_ADMIN: {"cases-supervision", "core-operations", "eldercare-staff"},
    Role.SUBDISTRICT_ADMIN: {"cases-supervision", "core-operations", "eldercare-staff"},
    Role.LEADER: {"cases-supervision"},
    Role.HANDLER: {"cases-deadlines", "rentals-files"},
    Role.WINDOW_STAFF: {"queue-windows"},
    Role.GRID_WORKER: {"cases-grid", "rentals-files"},
    Role.BUTLER: {"retention-butler"},
    Role.AMBASSADOR: set(),
    Role.BUILDING_MANAGER: {"park-manager"},
    Role.ENTERPRISE_MEMBER: {"cases-enterprise", "bookings-upcoming", "policies-enterprise"},
    Role.RESIDENT: {"cases-reports"},
    Role.CAREGIVER: {"eldercare-caregiver"},
    Role.MEAL_OPERATOR: {"meals-today"},
    Role.VOLUNTEER: {"caring-visits"},
}


# What the permission world's records put in some of them: the window's current ticket, the
# butler's never-visited enterprise, the enterprise's eligible benefit (amount grouped), the
# request waiting for the building manager.
CONTENT = {
    Role.WINDOW_STAFF: ("queue-windows", ["now serving A001", "1</strong>"]),
    Role.BUTLER: ("retention-butler", ["Enterprise A Ltd", "Overdue"]),
    Role.ENTERPRISE_MEMBER: ("policies-enterprise", ["100,000 yuan", "Eligible"]),
    Role.BUILDING_MANAGER: ("park-manager", ["Lift stuck", "read by 0 of 2"]),
    Role.MEAL_OPERATOR: ("meals-today", ["Meals today", "To serve"]),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_panels_of_its_work(db, world: World, role: str) -> None:
    response = world.client(role).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert set(panels_of(html)) == EXPECTED[role]
    assert 'class="tiles"' not in html  # not the menu again
    if not EXPECTED[role]:
        assert "Nothing is waiting for you here." in html
    if role in CONTENT:
        key, texts = CONTENT[role]
        panel = section(html, key)
        for text in texts:
            assert text in panel, (role, text)
