"""The demo step: a walking network matching the registry's demo sub-district, with Suzhou
Creek crossed only at bridges, and the standards seeded."""

from __future__ import annotations

import numpy as np
import shapely
from django_scopes import scopes_disabled
from scipy.sparse import csgraph

from linli.core.demo import demo_rng
from linli.core.models import Subdistrict
from linli.demo.load import _places
from linli.lifecircle import demo, network_store
from linli.lifecircle.engine.network import symmetric_csr
from linli.lifecircle.models import FacilityStandard, WalkNetworkVersion
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, FIRST_HOME


def first_home_network():
    places = _places(FIRST_HOME, DEMO_SEED)
    return places, demo.demo_walk_network(
        places, demo_rng(DEMO_SEED, FIRST_HOME, "walking network")
    )


def test_demo_network_covers_the_boundary_and_a_kilometre_around_it():
    places, network = first_home_network()
    boundary = shapely.transform(
        places.boundary,
        lambda xy: np.column_stack(
            [
                places.frame.lon0 + xy[:, 0] / places.frame.m_per_deg_lon,
                places.frame.lat0 + xy[:, 1] / places.frame.m_per_deg_lat,
            ]
        ),
    )
    west, south, east, north = boundary.bounds
    # Streets reach about 1 km (≈ 0.0105° of longitude, 0.009° of latitude) beyond each side.
    assert network.lon.min() < west - 0.009 and network.lon.max() > east + 0.009
    assert network.lat.min() < south - 0.008 and network.lat.max() > north + 0.008
    assert 1500 < network.n_nodes < 10_000
    # Quarter gates are on (or right next to) a street.
    gates = np.array([g for q in places.quarters for g in places.points(q.entrances)])
    d = np.hypot(
        (network.lon[None, :] - gates[:, :1]) * places.frame.m_per_deg_lon,
        (network.lat[None, :] - gates[:, 1:]) * places.frame.m_per_deg_lat,
    ).min(axis=1)
    assert np.median(d) < 40


def test_the_creek_is_crossed_only_at_bridges():
    places, network = first_home_network()
    assert network.edge_bridge.sum() >= 4
    south = int(np.argmin(network.lat))
    north = int(np.argmax(network.lat))
    _, labels = csgraph.connected_components(network.graph, directed=False)
    assert labels[south] == labels[north]
    keep = ~network.edge_bridge
    without = symmetric_csr(
        network.n_nodes,
        network.edge_u[keep],
        network.edge_v[keep],
        network.edge_length[keep],
    )
    _, labels = csgraph.connected_components(without, directed=False)
    assert labels[south] != labels[north]


def test_the_demo_step_stores_the_network_and_seeds_the_standards(db):
    places = _places(FIRST_HOME, DEMO_SEED)
    with scopes_disabled():
        subdistrict = Subdistrict.objects.create(
            code=FIRST_HOME.code,
            name=FIRST_HOME.name,
            boundary=places.frame.geojson(places.boundary),
            is_synthetic=True,
        )
        ctx = DemoContext(home=FIRST_HOME, subdistrict=subdistrict, places=places, seed=DEMO_SEED)
        assert not demo.loaded(ctx)
        assert demo.load(ctx) == 16  # the network, its version and 14 standards
        assert demo.loaded(ctx)
        version = WalkNetworkVersion.objects.get(subdistrict=subdistrict)
        assert version.is_current and version.source == "demo"
        assert FacilityStandard.objects.filter(subdistrict=subdistrict).count() == 14
    stored = network_store.from_bytes(bytes(version.data))
    _, expected = first_home_network()
    assert stored.n_nodes == expected.n_nodes == version.node_count
