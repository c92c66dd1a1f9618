"""The life-circle indicator on the tiny street of the life-circle tests, whose answers are
known (a kindergarten covering 1/3 of the residents, a day care 1/2 of those over 60)."""

from __future__ import annotations

import pytest

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.core.access import Access
from linli.core.roles import Role
from linli.lifecircle import analysis
from tests.lifecircle.helpers import build_street

pytestmark = pytest.mark.usefixtures("in_scope")
MONTH = Period(2026, 11)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Row ids come back after a rollback; no test may see another's cached network."""
    analysis.clear_cache()
    yield
    analysis.clear_cache()


def coverage(access):
    return INDICATORS["lifecircle.coverage"].compute(access, MONTH)


def test_coverage_per_type_is_the_life_circles_own(subdistrict, leader, client_for):
    build_street(subdistrict)
    found = coverage(leader)
    parts = {p.label: p for p in found.parts}
    kindergarten = parts["Kindergarten · 33.3%"]
    assert kindergarten.value == 400  # of 600 residents, 200 within 300 m
    assert kindergarten.url.endswith("?type=kindergarten")
    assert parts["Elderly day care · 50.0%"].value == 100  # of 200 residents over 60
    # Pooled over the types: covered people over people.
    uncovered = sum(p.value for p in found.parts)
    assert found.value == round((found.base - uncovered) / found.base, 4)
    assert 0 < found.value < 1
    assert client_for(leader.user).get(kindergarten.url).status_code == 200


def test_no_network_is_no_figure(subdistrict, leader):
    found = coverage(leader)
    assert (found.value, found.base, found.parts) == (None, 0, ())


def test_someone_who_may_not_see_the_life_circle_gets_no_figure(subdistrict, make_user):
    build_street(subdistrict)
    member = Access.for_user(make_user(Role.ENTERPRISE_MEMBER, subdistrict), subdistrict)
    assert coverage(member).value is None
