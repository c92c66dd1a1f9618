"""Walking coverage of the charging points on the crafted U of streets (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.models import RuleParameter
from linli.governance.charging import coverage
from tests.lifecircle.helpers import lonlat

pytestmark = pytest.mark.django_db


def reach(result):
    return {r.building.code: (r.covered, r.distance_m) for r in result.buildings}


def test_walking_not_straight_line_decides_coverage(walkable):
    with scope(subdistrict=walkable.subdistrict):
        result = coverage.coverage(Access.for_user(walkable.admin, walkable.subdistrict))
    found = reach(result)
    assert result.network and result.walk_m == 300
    assert found["U-near"] == (True, 200)
    # 200 m away as the crow flies, but the street goes round the U: 700 m.
    assert found["U-across"][0] is False and found["U-across"][1] == pytest.approx(700, abs=1)
    assert found["U-top"][0] is False
    assert [r.building.code for r in result.uncovered] == ["U-across", "U-top"]


def test_a_longer_walking_distance_from_the_parameter(walkable):
    with scope(subdistrict=walkable.subdistrict):
        version = RuleParameter.objects.create(
            subdistrict=walkable.subdistrict,
            key="charging.walk_m",
            value=400,
            effective_from=clock.today() - dt.timedelta(days=1),
            source="test",
        )
        result = coverage.coverage(Access.for_user(walkable.admin, walkable.subdistrict))
    assert (result.walk_m, result.walk_version) == (400, version.pk)
    assert reach(result)["U-top"][0] is True


def test_a_new_site_shows_the_buildings_it_would_cover(walkable):
    with scope(subdistrict=walkable.subdistrict):
        result = coverage.coverage(
            Access.for_user(walkable.admin, walkable.subdistrict),
            candidate=tuple(lonlat(200, 100)),
        )
    assert sorted(r.building.code for r in result.newly_covered) == ["U-across", "U-top"]


def test_without_a_walking_network_the_page_says_so(town, client_for):
    page = client_for(town.admin).get(reverse("charging:coverage"))
    assert page.status_code == 200
    assert "no walking network" in page.content.decode()


def test_the_page_lists_uncovered_buildings_and_the_what_if(walkable, client_for):
    lon, lat = lonlat(200, 100)
    page = client_for(walkable.admin).get(
        reverse("charging:coverage"), {"lon": f"{lon:.7f}", "lat": f"{lat:.7f}"}
    )
    text = page.content.decode()
    assert "1 of 3 buildings covered by 1 charging points" in text
    assert "would bring 2 more buildings within reach" in text
