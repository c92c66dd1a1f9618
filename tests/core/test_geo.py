"""WGS84 → GCJ-02, the tidying of stored GeoJSON, and the registry's map-layers endpoint."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.geo import as_geometry, as_positions, out_of_china, wgs84_to_gcj02
from linli.registry.models import BuildingTaxYear
from tests.factories import BuildingFactory, FacilityFactory, GridFactory, QuarterFactory

# Published reference pairs, WGS84 → GCJ-02: the first is the worked example of the widely used
# coordtransform library (Beijing), the second a test vector of eviltransform (Shanghai, Pudong).
REFERENCE = [
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_matches_published_reference_values(wgs, gcj):
    lon, lat = wgs84_to_gcj02(*wgs)
    assert lon == pytest.approx(gcj[0], abs=1e-9)
    assert lat == pytest.approx(gcj[1], abs=1e-9)


def test_central_shanghai_shifts_about_450_m_east_and_200_m_south():
    lon, lat = 121.4737, 31.2304  # People's Square
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    assert g_lon - lon == pytest.approx(0.0045, abs=0.0003)
    assert g_lat - lat == pytest.approx(-0.0020, abs=0.0003)


@pytest.mark.parametrize(
    "point",
    [(-0.1276, 51.5072), (151.2093, -33.8688), (139.6917, 35.6895), (2.3522, 48.8566)],
    ids=["London", "Sydney", "Tokyo", "Paris"],
)
def test_outside_china_nothing_moves(point):
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point


def test_as_geometry_accepts_the_shapes_imports_produce():
    ring = [[121.45, 31.23], [121.46, 31.23], [121.46, 31.24], [121.45, 31.23]]
    polygon = {"type": "Polygon", "coordinates": [ring]}
    assert as_geometry(polygon) == polygon
    feature = {"type": "Feature", "geometry": polygon, "properties": {}}
    assert as_geometry(feature) == polygon
    assert as_geometry({"type": "FeatureCollection", "features": [feature]}) == polygon
    assert as_geometry(ring) == polygon
    assert as_geometry([ring]) == polygon
    for nothing in (None, "", [], {}, {"type": "Polygon"}, "POLYGON((1 2))", [["a", "b"]]):
        assert as_geometry(nothing) is None


def test_as_positions_drops_malformed_entrances():
    assert as_positions([[121.4, 31.2], [500, 31.2], ["x", 1], [True, 2], [121.5, 31.3, 4]]) == [
        [121.4, 31.2],
        [121.5, 31.3],
    ]
    assert as_positions(None) == []


# ---- the map-layers endpoint ----

BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[121.45, 31.23], [121.47, 31.23], [121.47, 31.245], [121.45, 31.23]]],
}


@pytest.fixture
def mapped(subdistrict, other_subdistrict):
    """A sub-district with one of each layer, and a neighbour whose things must never show."""
    subdistrict.boundary = BOUNDARY
    subdistrict.save()
    grid = GridFactory(subdistrict=subdistrict, polygon=BOUNDARY)
    quarter = QuarterFactory(subdistrict=subdistrict, polygon=BOUNDARY["coordinates"][0])
    rich = BuildingFactory(subdistrict=subdistrict, name="Rich Tower", lon=121.46, lat=31.235)
    plain = BuildingFactory(subdistrict=subdistrict, name="Plain Tower", lon=121.455, lat=31.236)
    facility = FacilityFactory(
        subdistrict=subdistrict,
        name="Health Station",
        entrances=[[121.458, 31.236], [121.459, 31.2365]],
    )
    BuildingFactory(subdistrict=other_subdistrict, name="Foreign Tower")
    FacilityFactory(subdistrict=other_subdistrict, name="Foreign Station")
    with scopes_disabled():
        # The latest year decides: Rich was below 1亿 before, Plain fell below it this year.
        for building, year, tax in [
            (rich, 2023, "9000"),
            (rich, 2024, "12000.50"),
            (plain, 2023, "15000"),
            (plain, 2024, "800"),
        ]:
            BuildingTaxYear.objects.create(
                subdistrict=subdistrict, building=building, year=year, tax=Decimal(tax)
            )
    return {"grid": grid, "quarter": quarter, "rich": rich, "plain": plain, "facility": facility}


def _layers(client) -> dict:
    response = client.get(reverse("api:registry_map_layers"))
    assert response.status_code == 200, response.content
    body = response.json()
    return {layer["id"]: layer for layer in body["layers"]} | {"_body": body}


def _names(layer) -> set[str]:
    return {f["properties"]["name"] for f in layer["data"]["features"]}


def test_staff_get_every_layer_of_their_own_subdistrict(
    mapped, subdistrict, make_user, client_for, django_assert_max_num_queries
):
    client = client_for(make_user("grid_worker", subdistrict))
    client.get(reverse("home"))  # warm the session so the count below is the endpoint's own
    with django_assert_max_num_queries(12):
        layers = _layers(client)

    assert [k for k in layers if k != "_body"] == [
        "boundary",
        "grids",
        "quarters",
        "buildings",
        "facilities",
        "lifts",  # the apps' layers the grid worker may see come last
    ]
    assert layers["_body"]["crs"] == "WGS84"
    assert layers["boundary"]["data"]["features"][0]["geometry"] == BOUNDARY
    assert layers["quarters"]["data"]["features"][0]["geometry"]["type"] == "Polygon"
    buildings = {f["properties"]["name"]: f for f in layers["buildings"]["data"]["features"]}
    assert set(buildings) == {"Rich Tower", "Plain Tower"}
    assert buildings["Rich Tower"]["properties"]["is_hundred_million"] is True
    assert buildings["Rich Tower"]["properties"]["tax_year"] == 2024
    assert buildings["Plain Tower"]["properties"]["is_hundred_million"] is False
    assert buildings["Rich Tower"]["geometry"] == {"type": "Point", "coordinates": [121.46, 31.235]}
    assert buildings["Rich Tower"]["properties"]["url"] == reverse(
        "registry:detail", kwargs={"kind": "building", "pk": mapped["rich"].pk}
    )
    (station,) = layers["facilities"]["data"]["features"]
    assert station["geometry"]["type"] == "MultiPoint"
    assert station["properties"]["url"] == reverse(
        "registry:detail", kwargs={"kind": "facility", "pk": mapped["facility"].pk}
    )


def test_the_query_count_does_not_grow_with_the_number_of_buildings(
    mapped, subdistrict, make_user, client_for, django_assert_max_num_queries
):
    for _ in range(20):
        BuildingFactory(subdistrict=subdistrict)
    client = client_for(make_user("leader", subdistrict))
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        assert len(_layers(client)["buildings"]["data"]["features"]) == 22


def test_a_building_manager_sees_only_their_building(mapped, subdistrict, make_user, client_for):
    user = make_user("building_manager", subdistrict, building=mapped["rich"])
    layers = _layers(client_for(user))

    assert "grids" not in layers
    assert "quarters" not in layers
    assert _names(layers["buildings"]) == {"Rich Tower"}
    assert _names(layers["facilities"]) == {"Health Station"}


def test_a_resident_sees_the_boundary_and_facilities_only(
    mapped, subdistrict, make_user, client_for
):
    layers = _layers(client_for(make_user("resident", subdistrict)))

    assert [k for k in layers if k != "_body"] == ["boundary", "facilities"]
    assert _names(layers["facilities"]) == {"Health Station"}


def test_nothing_of_another_subdistrict_leaks(mapped, other_subdistrict, make_user, client_for):
    layers = _layers(client_for(make_user("subdistrict_admin", other_subdistrict)))

    assert _names(layers["buildings"]) == {"Foreign Tower"}
    assert _names(layers["facilities"]) == {"Foreign Station"}
    assert layers["boundary"]["data"]["features"] == []


def test_anonymous_callers_get_the_json_error_shape(client, mapped):
    response = client.get(reverse("api:registry_map_layers"))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_the_map_page_hands_the_tile_setting_to_the_component(
    mapped, subdistrict, make_user, client_for, settings
):
    settings.MAP_TILES = "amap"
    page = client_for(make_user("handler", subdistrict)).get(reverse("registry:map"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-tiles="amap"' in html
    assert f'data-layers-url="{reverse("api:registry_map_layers")}"' in html
    assert "vendor/leaflet/leaflet.js" in html


@pytest.mark.parametrize(
    ("role", "app_layers"),
    [
        ("subdistrict_admin", ["lifts", "rentals-open", "rentals-closed", "works"]),
        ("leader", ["lifts", "rentals-open", "rentals-closed", "works"]),
        ("resident", []),
    ],
)
def test_the_governance_apps_draw_on_the_area_map_for_who_may_see_them(
    mapped, subdistrict, make_user, client_for, role, app_layers
):
    """Lift projects, group rentals and works under way are on the one area map, each for the
    roles its own rules let see it, after the registry's layers."""
    layers = _layers(client_for(make_user(role, subdistrict)))
    ids = [k for k in layers if k != "_body"]
    assert [i for i in ids if i in {"lifts", "rentals-open", "rentals-closed", "works"}] == (
        app_layers
    )
    assert ids[len(ids) - len(app_layers) :] == app_layers
