"""On random graphs, the engine's distances equal networkx shortest paths on a graph where every
snapped point is a real node hanging off its edge by its snap distance."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.lifecircle.engine import Accessibility, Facilities, FacilityStandard, Homes
from linli.lifecircle.engine.snap import Snapped

from .helpers import metric_network, to_lonlat

TOL = 1e-6
coord = st.floats(0.0, 1000.0, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 10))
    xy = draw(st.lists(st.tuples(coord, coord), min_size=n, max_size=n, unique=True))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = draw(st.lists(pairs, min_size=1, max_size=18))
    # Lengths independent of the drawing: the engine must use edge lengths, not geometry.
    geometric = draw(st.booleans())
    lengths = (
        None
        if geometric
        else draw(st.lists(st.floats(1.0, 800.0), min_size=len(edges), max_size=len(edges)))
    )
    homes = draw(st.lists(st.tuples(coord, coord), min_size=1, max_size=8))
    n_fac = draw(st.integers(1, 5))
    facilities = [
        (
            draw(st.sampled_from(["a", "b"])),
            draw(st.lists(st.tuples(coord, coord), min_size=1, max_size=3)),
        )
        for _ in range(n_fac)
    ]
    threshold = draw(st.floats(50.0, 900.0))
    mode = draw(st.sampled_from(["edge", "node"]))
    return xy, edges, lengths, homes, facilities, threshold, mode


def build(xy, edges, lengths, homes, facilities, threshold, mode):
    net = metric_network(xy, edges, lengths)
    hx, hy = np.array(homes).T
    hlon, hlat = to_lonlat(hx, hy)
    records = []
    for i, (kind, gates) in enumerate(facilities):
        gx, gy = np.array(gates).T
        glon, glat = to_lonlat(gx, gy)
        records.append(
            {
                "id": i,
                "type": kind,
                "capacity": 1.0 + i,
                "entrances": list(zip(glon, glat, strict=True)),
            }
        )
    standards = [FacilityStandard(k, k, k, 5, threshold, "test") for k in ("a", "b")]
    acc = Accessibility(
        net,
        Homes.from_arrays(hlon, hlat, np.arange(1, len(homes) + 1)),
        Facilities.from_records(records),
        standards,
        snap=mode,
    )
    return net, acc


def reference_graph(net, snaps: dict[str, Snapped]) -> nx.Graph:
    """Networkx graph with each snapped point inserted into its edge as a pendant node."""
    g = nx.Graph()
    g.add_nodes_from(range(net.n_nodes))
    on_edge: dict[int, list[tuple[float, str]]] = {}
    for prefix, s in snaps.items():
        for i in range(len(s)):
            name = f"{prefix}{i}"
            if s.edge[i] < 0:
                g.add_edge(name, int(s.node_u[i]), weight=float(s.offset_m[i]))
                continue
            on_edge.setdefault(int(s.edge[i]), []).append((float(s.pos_m[i]), name))
            g.add_edge(name, f"p{name}", weight=float(s.offset_m[i]))
    for e in range(net.n_edges):
        u, v, length = int(net.edge_u[e]), int(net.edge_v[e]), float(net.edge_length[e])
        if u == v:
            continue
        chain = (
            [(0.0, u)] + sorted((p, f"p{name}") for p, name in on_edge.get(e, [])) + [(length, v)]
        )
        for (p0, a), (p1, b) in zip(chain, chain[1:], strict=False):
            w = p1 - p0
            if not g.has_edge(a, b) or g[a][b]["weight"] > w:
                g.add_edge(a, b, weight=w)
    return g


def brute_force_snap(net, px, py):
    ax, ay = net.x[net.edge_u], net.y[net.edge_u]
    dx, dy = net.x[net.edge_v] - ax, net.y[net.edge_v] - ay
    seg2 = np.maximum(dx * dx + dy * dy, 1e-300)
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0, 1)
    return float(np.min(np.hypot(ax + t * dx - px, ay + t * dy - py)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_distances_equal_networkx(scenario):
    xy, edges, lengths, homes, facilities, threshold, mode = scenario
    net, acc = build(*scenario)
    home_snap, ent_snap = acc.home_snap, acc.entrance_snap

    # Snap distances are the true distances to the nearest edge (or node).
    for i, (x, y) in enumerate(homes):
        px, py = net.project(*to_lonlat(x, y))
        if mode == "edge":
            expected = brute_force_snap(net, px[0], py[0])
        else:
            expected = float(np.min(np.hypot(net.x - px[0], net.y - py[0])))
        assert math.isclose(home_snap.offset_m[i], expected, abs_tol=1e-6)

    g = reference_graph(net, {"H": home_snap, "E": ent_snap})
    ef = acc.facilities.entrance_facility
    types = acc.facilities.types
    per_facility = {}
    for f in range(len(facilities)):
        sources = [f"E{j}" for j in np.flatnonzero(ef == f)]
        per_facility[f] = nx.multi_source_dijkstra_path_length(g, sources, weight="weight")

    nearest = acc.nearest(["a", "b"])
    for kind in ("a", "b"):
        for h in range(len(homes)):
            dists = [per_facility[f].get(f"H{h}", math.inf) for f in np.flatnonzero(types == kind)]
            expected = min(dists, default=math.inf)
            got = nearest[kind][h]
            if math.isinf(expected):
                assert math.isinf(got)
            else:
                assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=TOL), (kind, h)

        # Facilities within the threshold, with their distances.
        hs, fs, ds = acc.within(kind)
        got_pairs = {(int(h), int(f)): float(d) for h, f, d in zip(hs, fs, ds, strict=True)}
        assert len(got_pairs) == len(hs)
        for f in np.flatnonzero(types == kind):
            for h in range(len(homes)):
                d = per_facility[f].get(f"H{h}", math.inf)
                if d <= threshold - TOL:
                    assert math.isclose(got_pairs[(h, int(f))], d, abs_tol=TOL)
                elif d > threshold + TOL:
                    assert (h, int(f)) not in got_pairs

        # Node distances agree too.
        node_d = acc.nearest_at_nodes(kind)
        for node in range(net.n_nodes):
            dists = [per_facility[f].get(node, math.inf) for f in np.flatnonzero(types == kind)]
            expected = min(dists, default=math.inf)
            assert node_d[node] == expected or math.isclose(node_d[node], expected, abs_tol=TOL)


@settings(max_examples=80, deadline=None)
@given(scenarios(), st.tuples(coord, coord))
def test_what_if_matches_networkx(scenario, site):
    xy, edges, lengths, homes, facilities, threshold, mode = scenario
    net, acc = build(*scenario)
    lon, lat = to_lonlat(*site)
    result = acc.what_if(float(lon[0]), float(lat[0]), "a")
    cand = acc.snapper.snap(lon, lat)
    g = reference_graph(net, {"H": acc.home_snap, "C": cand})
    from_site = nx.single_source_dijkstra_path_length(g, "C0", weight="weight")
    current = acc.nearest(["a"])["a"]
    weights = acc.homes.population
    expected_new = set()
    for h in range(len(homes)):
        d = from_site.get(f"H{h}", math.inf)
        if current[h] > threshold + TOL and d <= threshold - TOL:
            expected_new.add(h)
    got = set(result.newly_covered.tolist())
    assert expected_new <= got
    for h in got - expected_new:  # only borderline cases may differ
        d = from_site.get(f"H{h}", math.inf)
        assert abs(d - threshold) <= TOL or abs(current[h] - threshold) <= TOL
    assert math.isclose(result.added_weight, float(weights[list(got)].sum()))
    ranked = acc.rank_candidates(lon, lat, "a")
    assert ranked[0].added_weight == result.added_weight
