"""GeoJSON input, barriers, clipping, caching and the demo network."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from scipy.sparse import csgraph

from linli.lifecircle.engine import (
    NetworkImportError,
    WalkNetwork,
    demo_boundary,
    demo_creek,
    demo_network,
    read_geojson,
)

from .helpers import to_lonlat


def line(xs, ys, **props):
    lon, lat = to_lonlat(xs, ys)
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [list(p) for p in zip(lon, lat, strict=True)],
        },
        "properties": props,
    }


def two_banks(bridge_props):
    """Two streets either side of y=100, joined by a crossing at x=0 and one at x=600."""
    return {
        "type": "FeatureCollection",
        "features": [
            line([0, 300, 600], [0, 0, 0]),
            line([0, 300, 600], [200, 200, 200]),
            line([0, 0], [0, 200]),  # no bridge: cut by the barrier
            line([600, 600], [0, 200], **bridge_props),
        ],
    }


RIVER = {
    "type": "LineString",
    "coordinates": [list(p) for p in zip(*to_lonlat([-100, 700], [100, 100]), strict=True)],
}


def nearest_node(net, x, y):
    px, py = net.project(*to_lonlat(x, y))
    return int(np.argmin(np.hypot(net.x - px[0], net.y - py[0])))


def test_barrier_cuts_every_edge_but_bridges():
    net = read_geojson(two_banks({"bridge": "yes"}), barriers=[RIVER], min_component_nodes=1)
    assert net.n_edges == 5
    assert net.edge_bridge.sum() == 1
    south, north = nearest_node(net, 0, 0), nearest_node(net, 0, 200)
    dist = csgraph.dijkstra(net.graph, indices=south)[north]
    assert dist == pytest.approx(600 + 200 + 600, abs=0.05)


def test_without_a_bridge_the_banks_are_separate():
    net = read_geojson(two_banks({}), barriers=[RIVER], min_component_nodes=1)
    assert net.n_edges == 4
    assert len(np.unique(net.component_labels())) == 2


def test_barriers_from_a_file(tmp_path):
    path = tmp_path / "river.geojson"
    path.write_text(json.dumps({"type": "Feature", "geometry": RIVER, "properties": {}}))
    net = read_geojson(two_banks({"bridge": True}), barriers=path, min_component_nodes=1)
    assert net.n_edges == 5


def test_osm_tags_in_properties_are_respected():
    fc = two_banks({"bridge": "yes", "highway": "motorway"})
    net = read_geojson(fc, min_component_nodes=1)
    assert net.n_edges == 5  # the motorway is dropped; the unbridged crossing stays


def test_small_fragments_are_dropped():
    fc = two_banks({"bridge": "yes"})
    fc["features"].append(line([5000, 5010], [5000, 5000]))
    net = read_geojson(fc)
    assert net.n_nodes == 6
    assert net.meta["dropped_fragment_nodes"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("{not json", "invalid JSON"),
        ("[1, 2, 3]", "not a GeoJSON object"),
        ('{"type": "FeatureCollection", "features": []}', "no walkable LineString"),
        (
            '{"type": "FeatureCollection", "features": '
            '[{"type": "Feature", "geometry": {"type": "Point", "coordinates": [121, 31]}}]}',
            "no walkable LineString",
        ),
        ('{"type": "LineString", "coordinates": [[121, 31]]}', "at least two"),
        ('{"type": "LineString", "coordinates": [[121, 31], ["a", 31]]}', "not numbers"),
        ('{"type": "LineString", "coordinates": [[121, 31], [500, 31]]}', "lon/lat"),
        ('{"type": "FeatureCollection", "features": {}}', "features list"),
    ],
)
def test_bad_geojson_raises_a_clear_error(tmp_path, content, message):
    path = tmp_path / "streets.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NetworkImportError, match=message):
        read_geojson(path)


def test_invalid_barrier_raises():
    with pytest.raises(NetworkImportError, match="barrier"):
        read_geojson(two_banks({}), barriers=[{"type": "LineString", "coordinates": "x"}])


def test_npz_round_trip(tmp_path):
    net = read_geojson(two_banks({"bridge": "yes"}), barriers=[RIVER], min_component_nodes=1)
    path = tmp_path / "net.npz"
    net.to_npz(path)
    back = WalkNetwork.from_npz(path)
    for name in ("lon", "lat", "x", "y", "edge_u", "edge_v", "edge_length", "edge_bridge"):
        assert np.array_equal(getattr(net, name), getattr(back, name))
    assert back.crs == net.crs
    assert back.meta == net.meta
    assert (back.graph != net.graph).nnz == 0


def test_bad_cache_file_raises(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"garbage")
    with pytest.raises(NetworkImportError):
        WalkNetwork.from_npz(path)


def test_parallel_edges_keep_the_shortest():
    lon, lat = to_lonlat([0, 100], [0, 0])
    net = WalkNetwork.from_arrays(lon, lat, [0, 1, 0], [1, 0, 1], edge_length=[150, 120, 130])
    assert net.graph[0, 1] == pytest.approx(120)
    assert net.graph[1, 0] == pytest.approx(120)


def test_demo_network_is_deterministic_and_plausible():
    a, b = demo_network(seed=3), demo_network(seed=3)
    assert np.array_equal(a.lon, b.lon) and np.array_equal(a.edge_u, b.edge_u)
    assert 4000 <= a.n_nodes <= 6500
    assert len(np.unique(a.component_labels())) == 1
    assert 15 <= np.median(a.edge_length) <= 80
    # Suzhou Creek is crossed only by edges tagged as bridges.
    x, y = a.project(*np.asarray(demo_creek().coords).T)
    creek = shapely.LineString(np.column_stack([x, y]))
    segs = shapely.linestrings(
        np.stack(
            [
                np.column_stack([a.x[a.edge_u], a.y[a.edge_u]]),
                np.column_stack([a.x[a.edge_v], a.y[a.edge_v]]),
            ],
            axis=1,
        )
    )
    crossing = shapely.intersects(segs, creek)
    assert crossing.any()
    assert np.all(a.edge_bridge[crossing])
    # The network covers the boundary plus about 1 km around it.
    bx, by = a.project(*np.asarray(demo_boundary().exterior.coords).T)
    assert a.x.min() < bx.min() - 800 and a.x.max() > bx.max() + 800
    assert a.y.min() < by.min() - 800
