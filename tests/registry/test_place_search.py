"""The map's place search: a demo quarter and building found by Chinese text, full pinyin and
pinyin initials, by anyone signed in to the sub-district, and nothing from another one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pypinyin import Style, lazy_pinyin
from shapely.geometry import Point, shape

from linli.core.roles import Role
from linli.demo.load import _places
from linli.registry.demo.homes import DEMO_SEED, FIRST_HOME
from tests.factories import BuildingFactory, FacilityFactory, QuarterFactory

PLACES = _places(FIRST_HOME, DEMO_SEED)
QUARTER = PLACES.quarters[0]
BUILDING = PLACES.buildings[0]


def full(text: str) -> str:
    return "".join(lazy_pinyin(text))


def initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))


@pytest.fixture
def places(subdistrict, other_subdistrict):
    quarter = QuarterFactory(
        subdistrict=subdistrict,
        name=QUARTER.name,
        address=QUARTER.address,
        polygon=PLACES.frame.geojson(QUARTER.polygon),
    )
    building = BuildingFactory(
        subdistrict=subdistrict,
        name=BUILDING.name,
        address=BUILDING.address,
        lon=121.4601,
        lat=31.2372,
    )
    FacilityFactory(subdistrict=subdistrict, name="社区卫生服务站", entrances=[[121.4588, 31.2361]])
    # The same names next door: never found from this sub-district.
    BuildingFactory(
        subdistrict=other_subdistrict,
        name=BUILDING.name,
        address=BUILDING.address,
        lon=121.5,
        lat=31.3,
    )
    QuarterFactory(subdistrict=other_subdistrict, name=QUARTER.name, address=QUARTER.address)
    return {"quarter": quarter, "building": building}


def search(client, query: str) -> list[dict]:
    response = client.get(reverse("registry:place_search"), {"q": query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("spelling", [lambda s: s, full, initials])
def test_a_demo_building_is_found_by_chinese_pinyin_and_initials(
    places, subdistrict, make_user, client_for, spelling
):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    results = search(client, spelling(BUILDING.name))
    assert results[0]["name"] == BUILDING.name
    assert (results[0]["lon"], results[0]["lat"]) == (121.4601, 31.2372)
    assert results[0]["kind"] == "building"
    # The other sub-district's building of the same name is not among them.
    assert [r["lon"] for r in results if r["name"] == BUILDING.name] == [121.4601]


@pytest.mark.parametrize("spelling", [lambda s: s, full, initials])
def test_a_demo_quarter_is_found_by_chinese_pinyin_and_initials(
    places, subdistrict, make_user, client_for, spelling
):
    client = client_for(make_user(Role.GRID_WORKER, subdistrict))
    results = [r for r in search(client, spelling(QUARTER.name)) if r["kind"] == "quarter"]
    assert [r["name"] for r in results] == [QUARTER.name]
    outline = shape(PLACES.frame.geojson(QUARTER.polygon))
    assert outline.contains(Point(results[0]["lon"], results[0]["lat"]))


def test_an_address_is_found_by_its_initials(places, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    street = BUILDING.address.rstrip("0123456789号弄")
    results = search(client, initials(street) + " " + initials(BUILDING.name))
    assert results and results[0]["name"] == BUILDING.name


def test_a_resident_sees_public_facts_only(places, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    for result in search(client, BUILDING.name[:2]) + search(client, "sqws"):
        assert set(result) == {"kind", "kind_label", "name", "address", "lon", "lat"}
    assert search(client, "sqws")[0]["name"] == "社区卫生服务站"


def test_nothing_matches_nothing(places, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    assert search(client, "") == []
    assert search(client, "x") == []  # a lone letter would match nearly everything
    assert search(client, "zzzzqqq") == []


def test_an_overlong_query_is_a_field_error(places, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    response = client.get(reverse("registry:place_search"), {"q": "路" * 51})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("registry:place_search"), {"q": "jadx"})
    assert response.status_code == 302
