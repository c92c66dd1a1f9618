"""Demo step: a walking network for each demo sub-district, and its standards seeded.

The network is generated to match the registry's demo layout rather than taken from the
engine's own demo (whose boundary and streets are its own): its streets run along the block
edges the registry's quarters were cut from, so quarter gates and facility doors sit on a
street, as they would in an OpenStreetMap extract. Around the boundary the street lattice goes
on for more than 1 km with coarser, irregular blocks; Suzhou Creek follows the boundary's
northern edge with a bank street on each side and is crossed only at a few bridges. Everything
comes from the step's own random stream, so every load gives the same network.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from linli.core.access import Access
from linli.core.demo import DemoStep
from linli.lifecircle import services
from linli.lifecircle.engine import WalkNetwork, build_network
from linli.lifecircle.engine.basemap import network_basemap
from linli.lifecircle.engine.network import Line
from linli.lifecircle.models import WalkNetworkVersion
from linli.registry.demo.context import DemoContext
from linli.registry.demo.places import PlacePlan

SYNTHETIC_LABEL = "synthetic demo data (not surveyed)"
# Streets run along the middle of the gap the registry leaves between block and street.
HALF_STREET_M = 12.0
RING_M = 1150.0  # a little beyond the 1 km the analysis keeps, so clipping leaves no stubs
PIECE_M = 40.0  # vertices along a street, where lanes can branch off
CREEK_FROM_BANK_M = 40.0
NORTH_BANK_M = 80.0
BRIDGE_SPACING_M = 550.0
CREEK_HALF_WIDTH_M = 25.0
CREEK_NAME = "苏州河"

Row = Callable[[float], float]


def _clustered(values: list[float], tolerance: float = 5.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _bank(boundary: Polygon, floor: float) -> Callable[[float], float]:
    """The creek's south bank: the boundary's northern edge, continued east and west."""
    coords = np.asarray(boundary.exterior.coords)
    miny = coords[:, 1].min()
    north = coords[coords[:, 1] > miny + 1.0]
    order = np.argsort(north[:, 0])
    xs, ys = north[order, 0], north[order, 1]
    west, east = float(xs[0]), float(xs[-1])

    def bank(x: float) -> float:
        if x < west:
            y = float(ys[0]) + 45.0 * np.sin((x - west) / 260.0)
        elif x > east:
            y = float(ys[-1]) + 45.0 * np.sin((x - east) / 260.0)
        else:
            y = float(np.interp(x, xs, ys))
        return max(y, floor)

    return bank


def _inner_ys(places: PlacePlan) -> list[float]:
    """y of the east–west streets inside the boundary: the block edges the quarters sit in."""
    miny = places.boundary.bounds[1]
    return _clustered([miny, *(q.polygon.bounds[1] - HALF_STREET_M for q in places.quarters)])


def _creek_bank(places: PlacePlan) -> Callable[[float], float]:
    return _bank(places.boundary, _inner_ys(places)[-1] + 60.0)


def _to_lonlat(places: PlacePlan) -> Callable[[np.ndarray], np.ndarray]:
    frame = places.frame

    def to_lonlat(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [
                frame.lon0 + xy[:, 0] / frame.m_per_deg_lon,
                frame.lat0 + xy[:, 1] / frame.m_per_deg_lat,
            ]
        )

    return to_lonlat


def _creek_m(places: PlacePlan) -> LineString:
    minx, _, maxx, _ = places.boundary.bounds
    bank = _creek_bank(places)
    creek_x = np.arange(minx - RING_M - 400.0, maxx + RING_M + 400.0, 20.0)
    return LineString(np.column_stack([creek_x, [bank(x) + CREEK_FROM_BANK_M for x in creek_x]]))


def demo_creek(places: PlacePlan) -> LineString:
    """Suzhou Creek (lon/lat): a barrier for the network, a river on the base map."""
    return shapely.transform(_creek_m(places), _to_lonlat(places))


def demo_basemap(places: PlacePlan, network: WalkNetwork) -> dict[str, Any]:
    """The demo's base map: its streets, named after the lattice the addresses use, the creek.

    A street edge takes the name of the lattice line it runs along (within a street's width);
    the lanes and the streets of the ring outside have none, as in many real extracts.
    """
    lattice = places.lattice
    frame = places.frame
    names: dict[int, str] = {}
    if lattice is not None:
        x = (network.lon - frame.lon0) * frame.m_per_deg_lon
        y = (network.lat - frame.lat0) * frame.m_per_deg_lat
        x0, y0 = x[network.edge_u], y[network.edge_u]
        x1, y1 = x[network.edge_v], y[network.edge_v]
        for e in range(network.n_edges):
            dx, dy = x1[e] - x0[e], y1[e] - y0[e]
            mx, my = (x0[e] + x1[e]) / 2, (y0[e] + y1[e]) / 2
            if abs(dy) < 0.2 * abs(dx):
                lines, at, labels = lattice.ys, my, lattice.ew_names
            elif abs(dx) < 0.2 * abs(dy):
                lines, at, labels = lattice.xs, mx, lattice.ns_names
            else:
                continue
            index = int(np.argmin([abs(at - v) for v in lines]))
            if abs(at - lines[index]) <= HALF_STREET_M and index < len(labels):
                names[e] = labels[index]
    water = shapely.transform(_creek_m(places).buffer(CREEK_HALF_WIDTH_M), _to_lonlat(places))
    return network_basemap(
        network,
        names=names,
        water=[(demo_creek(places), CREEK_NAME)],
        areas=[("water", water, "")],
        source="demo",
        clip_polygon=shapely.transform(places.boundary, _to_lonlat(places)),
    )


def demo_walk_network(places: PlacePlan, rng: random.Random) -> WalkNetwork:
    """The walking network of a demo home: its street lattice, the ring around it, the creek."""
    boundary: Polygon = places.boundary
    minx, miny, maxx, maxy = boundary.bounds
    inner_xs = [minx, maxx]
    inner_ys = [miny]
    for q in places.quarters:
        qx0, qy0, qx1, _ = q.polygon.bounds
        inner_xs += [qx0 - HALF_STREET_M, qx1 + HALF_STREET_M]
        inner_ys.append(qy0 - HALF_STREET_M)
    xs_in = _clustered(inner_xs)
    ys_in = _clustered(inner_ys)
    block = float(np.median(np.diff(xs_in))) if len(xs_in) > 1 else 200.0
    step = (0.55 * block, 0.85 * block)

    xs = list(xs_in)
    while xs[0] > minx - RING_M:
        xs.insert(0, xs[0] - rng.uniform(*step))
    while xs[-1] < maxx + RING_M:
        xs.append(xs[-1] + rng.uniform(*step))
    south = [miny]
    while south[0] > miny - RING_M:
        south.insert(0, south[0] - rng.uniform(*step))

    bank = _creek_bank(places)

    def straight(y: float) -> Row:
        return lambda x: y

    def along_bank(offset: float) -> Row:
        return lambda x: bank(x) + offset

    rows: list[Row] = [straight(y) for y in south[:-1] + ys_in]
    first_bank = len(rows)
    rows.append(bank)
    rows.append(along_bank(NORTH_BANK_M))
    lowest_bank = min(bank(x) for x in xs)
    offset = NORTH_BANK_M
    while lowest_bank + offset < maxy + RING_M:
        offset += rng.uniform(*step)
        rows.append(along_bank(offset))

    n_rows, n_cols = len(rows), len(xs)
    inside_x = {j for j, x in enumerate(xs) if minx - 1 <= x <= maxx + 1}
    inside_rows = set(range(len(south) - 1, first_bank + 1))
    targets = np.arange(minx - 900.0, maxx + 901.0, BRIDGE_SPACING_M)
    bridges = {int(np.argmin(np.abs(np.asarray(xs) - t))) for t in targets}

    key = [n_rows * n_cols]
    lines: list[tuple[np.ndarray, np.ndarray, bool]] = []
    mids: list[tuple[float, float, int, float, float, bool]] = []

    def node_key(r: int, j: int) -> int:
        return r * n_cols + j

    def add(points: np.ndarray, a: int, b: int, bridge: bool, inner: bool) -> None:
        pieces = len(points) - 1
        keys = np.concatenate([[a], np.arange(key[0], key[0] + pieces - 1), [b]])
        key[0] += pieces - 1
        lines.append((points, keys.astype(np.int64), bridge))
        if pieces >= 2 and not bridge:
            m = pieces // 2
            d = points[-1] - points[0]
            d = d / max(float(np.hypot(*d)), 1e-9)
            mids.append((points[m, 0], points[m, 1], int(keys[m]), d[0], d[1], inner))

    for r, row in enumerate(rows):
        for j in range(n_cols - 1):
            inner = r in inside_rows and j in inside_x and j + 1 in inside_x
            if not inner and r not in (first_bank, first_bank + 1) and rng.random() < 0.08:
                continue
            x0, x1 = xs[j], xs[j + 1]
            n = max(1, int(np.ceil((x1 - x0) / PIECE_M)))
            px = np.linspace(x0, x1, n + 1)
            points = np.column_stack([px, [row(x) for x in px]])
            add(points, node_key(r, j), node_key(r, j + 1), False, inner)
    for j, x in enumerate(xs):
        for r in range(n_rows - 1):
            crosses = r == first_bank
            if crosses and j not in bridges:
                continue
            inner = j in inside_x and r in inside_rows and r + 1 in inside_rows
            if not inner and not crosses and rng.random() < 0.1:
                continue
            y0, y1 = rows[r](x), rows[r + 1](x)
            n = max(1, int(np.ceil(abs(y1 - y0) / PIECE_M)))
            points = np.column_stack([np.full(n + 1, x), np.linspace(y0, y1, n + 1)])
            add(points, node_key(r, j), node_key(r + 1, j), crosses, inner)

    # Lanes (弄堂): dead ends into blocks from the middle of a street.
    for mx, my, mid_key, dx, dy, inner in mids:
        if rng.random() > (0.55 if inner else 0.3):
            continue
        side = 1.0 if rng.random() < 0.5 else -1.0
        depth = rng.uniform(35.0, 80.0)
        end = np.array([mx - dy * side * depth, my + dx * side * depth])
        points = np.vstack([[mx, my], end])
        keys = np.array([mid_key, key[0]], dtype=np.int64)
        key[0] += 1
        lines.append((points, keys, False))

    to_lonlat = _to_lonlat(places)
    boundary_lonlat = shapely.transform(boundary, to_lonlat)
    return build_network(
        [Line(to_lonlat(points), bridge=bridge, keys=keys) for points, keys, bridge in lines],
        clip_polygon=boundary_lonlat,
        barriers=[demo_creek(places)],
        meta={"source": "demo", "label": SYNTHETIC_LABEL, "home": places.home.code},
    )


def load(ctx: DemoContext) -> int:
    """The demo step: store the network as the current version and seed the standards."""
    network = demo_walk_network(ctx.places, ctx.rng("walking network"))
    services.store_network(
        ctx.subdistrict,
        network,
        source=WalkNetworkVersion.Source.DEMO,
        file_name="",
        basemap=demo_basemap(ctx.places, network),
        actor=Access.system(ctx.subdistrict),
    )
    standards = services.ensure_standards(ctx.subdistrict)
    services.settings_for(ctx.subdistrict)
    return 2 + len(standards)


def loaded(ctx: DemoContext) -> bool:
    return WalkNetworkVersion.objects.filter(subdistrict=ctx.subdistrict).exists()


# The network follows the home's place plan, not rows of other steps.
STEPS = (DemoStep("walking network", load, loaded),)
