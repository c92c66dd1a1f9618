"""The offline base map: extracted from the imported OSM file, stored with the network version,
served per sub-district with an ETag, and drawn from the network's own streets for the demo."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.demo import demo_rng
from linli.core.models import Subdistrict
from linli.core.roles import Role
from linli.demo.load import _places
from linli.lifecircle import demo, services
from linli.lifecircle.models import WalkNetworkVersion
from linli.registry.demo.homes import DEMO_SEED, FIRST_HOME
from tests.lifecircle.helpers import CREEK_BOUNDARY, osm_xml
from tests.lifecircle.test_network import street_geojson, upload


@pytest.fixture
def area(subdistrict):
    with scopes_disabled():
        Subdistrict.objects.filter(pk=subdistrict.pk).update(boundary=CREEK_BOUNDARY)
    subdistrict.boundary = CREEK_BOUNDARY
    return subdistrict


@pytest.fixture
def other_area(other_subdistrict):
    with scopes_disabled():
        Subdistrict.objects.filter(pk=other_subdistrict.pk).update(boundary=CREEK_BOUNDARY)
    other_subdistrict.boundary = CREEK_BOUNDARY
    return other_subdistrict


def import_file(subdistrict, name: str, content: bytes, kind: str) -> WalkNetworkVersion:
    with scope(subdistrict=subdistrict):
        return services.import_network(
            subdistrict, upload(name, content), kind=kind, actor=Access.system(subdistrict)
        )


def features(version: WalkNetworkVersion) -> list[dict]:
    with scopes_disabled():
        data = WalkNetworkVersion.objects.get(pk=version.pk).basemap
    return json.loads(bytes(data))["features"]


def named(found: list[dict], kind: str) -> set[str]:
    return {f["properties"].get("name", "") for f in found if f["properties"]["kind"] == kind}


def test_an_osm_import_keeps_streets_buildings_water_and_parks_with_their_names(area):
    found = features(import_file(area, "creek.osm", osm_xml(), "osm_xml"))
    assert named(found, "street") >= {"South Bank Road", "North Bank Road"}
    assert named(found, "waterway") == {"Suzhou Creek"}
    assert named(found, "water") == {"Suzhou Creek"}
    assert named(found, "green") == {"Bank Garden"}
    assert named(found, "building") == {"Creek Tower"}
    assert named(found, "path") == {""}  # the footbridge
    # A street's pieces are one feature, so its name is labelled once.
    assert [f["properties"].get("name") for f in found].count("South Bank Road") == 1
    # Main roads are told apart, for a wider line.
    ranks = {f["properties"]["rank"] for f in found if f["properties"]["kind"] == "street"}
    assert ranks == {1, 2}
    # Compact: rounded to about 10 cm.
    street = next(f for f in found if f["properties"].get("name") == "South Bank Road")
    lon = street["geometry"]["coordinates"][0][0]
    assert len(str(lon).split(".")[1]) <= 6


def test_a_geojson_import_keeps_its_lines_and_its_rivers(area):
    found = features(import_file(area, "street.geojson", street_geojson(), "geojson"))
    assert {f["properties"]["kind"] for f in found} == {"street", "waterway"}


def test_the_endpoint_serves_the_current_sub_district_only_and_answers_304(
    area, other_area, make_user, client_for
):
    import_file(area, "creek.osm", osm_xml(), "osm_xml")
    other = osm_xml().replace(b"South Bank Road", b"Elsewhere Avenue")
    import_file(other_area, "other.osm", other, "osm_xml")
    resident = client_for(make_user(Role.RESIDENT, area))
    url = reverse("lifecircle:basemap", args=[area.code])

    response = resident.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "private" in response["Cache-Control"]
    body = json.loads(response.content)
    names = {f["properties"].get("name") for f in body["features"]}
    assert "South Bank Road" in names and "Elsewhere Avenue" not in names
    assert body["source"] == "osm"

    again = resident.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert resident.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200

    # Another sub-district's base map is not there for this person, by its code or otherwise.
    assert resident.get(reverse("lifecircle:basemap", args=[other_area.code])).status_code == 404
    theirs = client_for(make_user(Role.RESIDENT, other_area)).get(
        reverse("lifecircle:basemap", args=[other_area.code])
    )
    assert b"Elsewhere Avenue" in theirs.content and b"South Bank Road" not in theirs.content
    assert theirs["ETag"] != response["ETag"]


def test_a_new_import_changes_the_etag(area, make_user, client_for):
    client = client_for(make_user(Role.GRID_WORKER, area))
    url = reverse("lifecircle:basemap", args=[area.code])
    import_file(area, "creek.osm", osm_xml(), "osm_xml")
    first = client.get(url)["ETag"]
    import_file(area, "street.geojson", street_geojson(), "geojson")
    response = client.get(url, HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200 and response["ETag"] != first


def test_without_a_network_the_base_map_is_empty(area, make_user, client_for):
    url = reverse("lifecircle:basemap", args=[area.code])
    response = client_for(make_user(Role.RESIDENT, area)).get(url)
    assert response.status_code == 200
    assert json.loads(response.content)["features"] == []


def test_a_version_stored_before_base_maps_shows_its_own_streets(area, make_user, client_for):
    version = import_file(area, "creek.osm", osm_xml(), "osm_xml")
    with scopes_disabled():
        WalkNetworkVersion.objects.filter(pk=version.pk).update(basemap=b"", basemap_sha256="")
    response = client_for(make_user(Role.RESIDENT, area)).get(
        reverse("lifecircle:basemap", args=[area.code])
    )
    kinds = {f["properties"]["kind"] for f in json.loads(response.content)["features"]}
    assert kinds == {"street"}
    assert response["ETag"] == f'"net-{version.sha256}"'


def test_the_demo_base_map_names_its_streets_as_the_addresses_do():
    places = _places(FIRST_HOME, DEMO_SEED)
    network = demo.demo_walk_network(places, demo_rng(DEMO_SEED, FIRST_HOME, "walking network"))
    found = demo.demo_basemap(places, network)["features"]
    streets = named(found, "street") - {""}
    assert places.lattice is not None
    assert streets <= set(places.lattice.ew_names) | set(places.lattice.ns_names)
    assert len(streets) >= 8
    # Every building's street is on the map, so its address can be read off the map.
    for building in places.buildings:
        assert any(building.address.startswith(s) for s in streets), building.address
    assert named(found, "waterway") == {demo.CREEK_NAME}
    assert named(found, "water") == {""}
    assert len(json.dumps(found)) < 100_000
