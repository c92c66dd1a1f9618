"""The public map of reports draws its base map and searches its places for a signed-out
visitor, as it does for the sub-district's own people: the visited sub-district's streets and
public places only, and nothing at all once the sub-district turns its map off."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from linli.cases.public_map import settings_for
from linli.core.roles import Role
from tests.lifecircle.helpers import build_street, osm_xml
from tests.lifecircle.test_basemap import import_file


@pytest.fixture
def streets(subdistrict, other_subdistrict):
    """Both sub-districts with places and an OSM base map; B's street has another name."""
    a = build_street(subdistrict)
    build_street(other_subdistrict, tag=" B")
    import_file(subdistrict, "creek.osm", osm_xml(), "osm_xml")
    other = osm_xml().replace(b"South Bank Road", b"Elsewhere Avenue")
    import_file(other_subdistrict, "other.osm", other, "osm_xml")
    return a


def turn_off(subdistrict) -> None:
    with scope(subdistrict=subdistrict):
        found = settings_for(subdistrict)
        found.public_map = False
        found.save()


def names(response) -> set[str]:
    return {f["properties"].get("name", "") for f in json.loads(response.content)["features"]}


def found(response) -> set[str]:
    return {place["name"] for place in json.loads(response.content)["results"]}


def test_a_visitor_gets_the_visited_sub_districts_base_map_and_places(
    streets, subdistrict, other_subdistrict
):
    visitor = Client()
    basemap = visitor.get(reverse("lifecircle:basemap", args=[subdistrict.code]))
    assert basemap.status_code == 200
    assert "South Bank Road" in names(basemap) and "Elsewhere Avenue" not in names(basemap)
    search = reverse("registry:public_place_search", args=[subdistrict.code])
    assert found(visitor.get(search, {"q": "west"})) == {"West Lane"}
    assert found(visitor.get(search, {"q": "little stars"})) == {"Little Stars"}  # a facility
    assert found(visitor.get(search, {"q": "lane"})) == {"West Lane"}  # never B's "West Lane B"
    # The same visitor on B's public map reads B's.
    theirs = visitor.get(reverse("lifecircle:basemap", args=[other_subdistrict.code]))
    assert "Elsewhere Avenue" in names(theirs) and "South Bank Road" not in names(theirs)
    # The signed-in map search stays for signed-in people.
    assert visitor.get(reverse("registry:place_search"), {"q": "west"}).status_code == 302


def test_a_map_turned_off_or_unknown_gives_a_visitor_nothing(streets, subdistrict):
    turn_off(subdistrict)
    visitor = Client()
    assert visitor.get(reverse("lifecircle:basemap", args=[subdistrict.code])).status_code == 404
    search = reverse("registry:public_place_search", args=[subdistrict.code])
    assert visitor.get(search, {"q": "west"}).status_code == 404
    assert visitor.get(reverse("lifecircle:basemap", args=["999999999"])).status_code == 404
    missing = reverse("registry:public_place_search", args=["999999999"])
    assert visitor.get(missing, {"q": "west"}).status_code == 404


def test_the_public_map_page_writes_the_visited_sub_districts_map_urls(
    streets, subdistrict, other_subdistrict, make_user, client_for
):
    page = reverse("cases:public_map", args=[subdistrict.code])
    visitor = Client().get(page)
    config = visitor.context["map_config"]
    assert config["basemapUrl"] == reverse("lifecircle:basemap", args=[subdistrict.code])
    assert config["placeSearchUrl"] == reverse(
        "registry:public_place_search", args=[subdistrict.code]
    )
    assert 'id="linli-map-config"' in visitor.text
    # Signed in here: the usual map search; signed in elsewhere: no other streets underneath.
    own = client_for(make_user(Role.RESIDENT, subdistrict)).get(page).context["map_config"]
    assert own["placeSearchUrl"] == reverse("registry:place_search")
    elsewhere = client_for(make_user(Role.RESIDENT, other_subdistrict)).get(page)
    assert elsewhere.status_code == 200 and elsewhere.context["map_config"] is None
    assert 'id="linli-map-config"' not in elsewhere.text
