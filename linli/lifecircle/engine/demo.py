"""Synthetic, clearly labelled demo data: the sub-district's walking network, residents and
facilities, and a city-sized network for benchmarks.

The sub-district sits near 31.237 N, 121.459 E between Suzhou Creek (north) and West Nanjing
Road (south). Nothing here is surveyed: the street grid, bridges and facilities are generated
from a seed, so the same seed always gives the same data.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from .inputs import Facilities, Homes
from .network import Line, WalkNetwork, build_network, local_crs, transformers

DEMO_CENTRE = (121.459, 31.237)  # lon, lat
DEMO_CRS = local_crs(*DEMO_CENTRE)
SYNTHETIC_LABEL = "synthetic demo data (not surveyed)"

# Sub-district extent in local metres: West Nanjing Road at the south edge, the creek's south
# bank at the north.
_WEST, _EAST, _SOUTH = -1000.0, 900.0, -650.0
# Bridges over the creek: near these x positions (m) one north-south street crosses.
_BRIDGE_X = (-1650.0, -950.0, -200.0, 450.0, 1300.0)

# Relative frequency of each facility type among demo facilities (shops are the most common).
_TYPE_WEIGHT = {
    "elderly_day_care": 30,
    "kindergarten": 35,
    "convenience_shop": 180,
    "health_station": 30,
    "primary_school": 25,
    "park": 25,
    "childcare": 30,
    "middle_school": 15,
    "community_health_centre": 8,
    "culture_sports_centre": 12,
    "community_service_centre": 10,
    "subdistrict_office": 5,
}
_BASE_TYPES = tuple(_TYPE_WEIGHT)
# Facilities for the elderly that joined the standards later (meal points, elderly service
# centres): so many per 500 of the others, drawn after them from a stream of their own, so the
# facilities of the types above stay exactly where they were for a given seed.
_ELDERLY_PER_500 = {"meal_point": 12, "elderly_service_centre": 2}
# Capacity ranges for capacity-limited types: places, seats, doctors.
_CAPACITY = {
    "elderly_day_care": (20, 60),
    "kindergarten": (150, 360),
    "health_station": (1, 4),
    "childcare": (30, 90),
    "community_health_centre": (20, 60),
}


def _to_lonlat(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    lon, lat = transformers(DEMO_CRS)[1].transform(x, y)
    return np.column_stack([lon, lat])


def _creek_y(x: NDArray[np.float64] | float) -> NDArray[np.float64]:
    # Suzhou Creek meanders through this stretch; two sine terms give bends of both scales.
    xa = np.asarray(x, dtype=np.float64)
    return 620.0 + 140.0 * np.sin((xa + 300.0) / 420.0) + 50.0 * np.sin(xa / 170.0)


def demo_creek() -> shapely.LineString:
    """Suzhou Creek's centre line (lon/lat), across the whole demo network extent."""
    x = np.linspace(-2600.0, 2600.0, 261)
    return shapely.LineString(_to_lonlat(x, _creek_y(x)))


def demo_boundary() -> shapely.Polygon:
    """The synthetic sub-district's boundary (lon/lat)."""
    north_x = np.linspace(_EAST, _WEST, 60)
    north = np.column_stack([north_x, _creek_y(north_x) - 35.0])
    south = np.array([[_WEST, _SOUTH + 0.04 * _WEST], [_EAST, _SOUTH + 0.04 * _EAST]])
    ring = np.vstack([south, north])
    return shapely.Polygon(_to_lonlat(ring[:, 0], ring[:, 1]))


def _spaced(rng: np.random.Generator, lo: float, hi: float, step: tuple[float, float]) -> NDArray:
    out = [lo]
    while out[-1] < hi:
        out.append(out[-1] + rng.uniform(*step))
    return np.asarray(out)


def demo_network(seed: int = 7) -> WalkNetwork:
    """A plausible street grid for the demo sub-district plus 1 km around it (about 5k nodes).

    Streets are a warped lattice of blocks with missing links, lane stubs and through-passages
    into blocks; Suzhou Creek cuts every street except at a few bridges.
    """
    rng = np.random.default_rng(seed)
    xs = _spaced(rng, -2150.0, 2050.0, (110.0, 200.0))
    ys = _spaced(rng, -1750.0, 2000.0, (110.0, 190.0))
    # West Nanjing Road: the row closest to the southern boundary runs exactly along it.
    road_row = int(np.argmin(np.abs(ys - _SOUTH)))
    ys[road_row] = _SOUTH
    bridge_cols = {int(np.argmin(np.abs(xs - bx))) for bx in _BRIDGE_X}
    major_rows = set(range(road_row % 4, len(ys), 4)) | {road_row}
    major_cols = set(range(1, len(xs), 4)) | bridge_cols

    gx, gy = np.meshgrid(xs, ys)
    # A gentle warp and jitter so that blocks are not perfect rectangles.
    px = gx + 25.0 * np.sin(gy / 600.0) + rng.normal(0.0, 6.0, gx.shape)
    py = gy + 20.0 * np.sin(gx / 500.0) + rng.normal(0.0, 6.0, gy.shape)
    py[road_row] = _SOUTH + 0.04 * px[road_row]
    n_rows, n_cols = gx.shape
    lattice_key = np.arange(n_rows * n_cols, dtype=np.int64).reshape(n_rows, n_cols)
    next_key = [int(lattice_key.size)]

    def fresh(count: int) -> NDArray[np.int64]:
        keys = np.arange(next_key[0], next_key[0] + count, dtype=np.int64)
        next_key[0] += count
        return keys

    metric_lines: list[tuple[NDArray[np.float64], NDArray[np.int64], bool]] = []
    # Middle vertex of each link, where lanes start: (x, y, key, direction).
    link_mid: dict[tuple[int, int, str], tuple[float, float, int, float, float]] = {}

    def add_link(a: tuple[int, int], b: tuple[int, int], bridge: bool, tag: str) -> None:
        p0 = np.array([px[a], py[a]])
        p1 = np.array([px[b], py[b]])
        length = float(np.hypot(*(p1 - p0)))
        pieces = max(1, int(np.ceil(length / 38.0)))
        t = np.linspace(0.0, 1.0, pieces + 1)[:, None]
        pts = p0 + t * (p1 - p0)
        normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(length, 1e-9)
        pts[1:-1] += rng.normal(0.0, 1.5, (pieces - 1, 1)) * normal
        keys = np.concatenate([[lattice_key[a]], fresh(pieces - 1), [lattice_key[b]]])
        metric_lines.append((pts, keys, bridge))
        if pieces >= 2:
            m = pieces // 2
            d = (p1 - p0) / max(length, 1e-9)
            link_mid[(a[0], a[1], tag)] = (pts[m, 0], pts[m, 1], int(keys[m]), d[0], d[1])

    for i in range(n_rows):
        for j in range(n_cols - 1):
            if i in major_rows or rng.random() < 0.88:
                add_link((i, j), (i, j + 1), False, "h")
    for j in range(n_cols):
        for i in range(n_rows - 1):
            crosses = (py[i, j] - _creek_y(px[i, j])) * (py[i + 1, j] - _creek_y(px[i + 1, j])) < 0
            bridge = crosses and j in bridge_cols
            if bridge or j in major_cols or rng.random() < 0.85:
                add_link((i, j), (i + 1, j), bridge, "v")

    # Lanes (弄堂): dead-end stubs into blocks, and some passages right through a block.
    for (i, j, tag), (mx, my, key, dx, dy) in sorted(link_mid.items()):
        if rng.random() > 0.75:
            continue
        side = 1.0 if rng.random() < 0.5 else -1.0
        nx_, ny_ = -dy * side, dx * side
        opposite = (i + 1, j, "h") if tag == "h" else (i, j + 1, "v")
        if side > 0 and opposite in link_mid and rng.random() < 0.25:
            ox, oy, okey, _, _ = link_mid[opposite]
            mid = np.array([[(mx + ox) / 2 + rng.normal(0, 4), (my + oy) / 2 + rng.normal(0, 4)]])
            pts = np.vstack([[mx, my], mid, [ox, oy]])
            metric_lines.append((pts, np.array([key, fresh(1)[0], okey]), False))
            continue
        depth = rng.uniform(35.0, 85.0)
        steps = 2 if depth > 55 else 1
        t = np.linspace(0.0, depth, steps + 1)[:, None]
        pts = np.array([mx, my]) + t * np.array([nx_, ny_])
        pts[1:] += rng.normal(0.0, 3.0, (steps, 2))
        metric_lines.append((pts, np.concatenate([[key], fresh(steps)]), False))

    lines = [
        Line(_to_lonlat(pts[:, 0], pts[:, 1]), bridge=bridge, keys=keys)
        for pts, keys, bridge in metric_lines
    ]
    return build_network(
        lines,
        clip_polygon=demo_boundary(),
        barriers=[demo_creek()],
        crs=DEMO_CRS,
        meta={"source": "demo", "seed": seed, "label": SYNTHETIC_LABEL},
    )


def _points_in(polygon: shapely.Polygon, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """n uniform random lon/lat points inside a polygon (rejection sampling in metres)."""
    fwd = transformers(DEMO_CRS)[0]
    metric = shapely.transform(polygon, lambda a: np.column_stack(fwd.transform(a[:, 0], a[:, 1])))
    shapely.prepare(metric)
    x0, y0, x1, y1 = metric.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        cand = rng.uniform([x0, y0], [x1, y1], size=(max(2 * (n - len(out)), 64), 2))
        cand = cand[shapely.contains_xy(metric, cand[:, 0], cand[:, 1])]
        out = np.vstack([out, cand])
    out = out[:n]
    return _to_lonlat(out[:, 0], out[:, 1])


def demo_homes(
    residents: int = 30_000,
    *,
    points: int | None = None,
    seed: int = 7,
    over_60_share: float = 0.36,
) -> Homes:
    """Population points inside the boundary. By default one point per resident; with
    ``points`` the residents are spread over that many points (quarter entrances)."""
    rng = np.random.default_rng(seed + 1)
    n = residents if points is None else points
    pts = _points_in(demo_boundary(), n, rng)
    if points is None:
        pop = np.ones(n)
    else:
        pop = rng.multinomial(residents, np.full(n, 1.0 / n)).astype(np.float64)
    old = rng.binomial(pop.astype(np.int64), over_60_share).astype(np.float64)
    # Quarters: the nearest of 11 seed points, labelled Q01..Q11.
    seeds = _points_in(demo_boundary(), 11, np.random.default_rng(seed + 2))
    d = (pts[:, None, 0] - seeds[None, :, 0]) ** 2 + (pts[:, None, 1] - seeds[None, :, 1]) ** 2
    group = np.array([f"Q{k + 1:02d}" for k in np.argmin(d, axis=1)])
    return Homes.from_arrays(pts[:, 0], pts[:, 1], pop, old, group=group)


def demo_facilities(n: int = 500, *, seed: int = 7) -> Facilities:
    """``n`` facilities of the twelve original types within the boundary plus 1 km (parks get
    two to four gates), and after them meal points and elderly service centres in proportion
    (``_ELDERLY_PER_500``)."""
    rng = np.random.default_rng(seed + 3)
    weights = np.array([_TYPE_WEIGHT[t] for t in _BASE_TYPES], dtype=np.float64)
    counts = np.floor(n * weights / weights.sum()).astype(int)
    counts[np.argsort(-weights)[: n - counts.sum()]] += 1
    types = np.repeat(np.array(_BASE_TYPES), counts)
    area = demo_boundary()
    fwd, inv = transformers(DEMO_CRS)
    wide = shapely.transform(area, lambda a: np.column_stack(fwd.transform(a[:, 0], a[:, 1])))
    wide = wide.buffer(1000.0)
    wide_ll = shapely.transform(wide, lambda a: np.column_stack(inv.transform(a[:, 0], a[:, 1])))
    centres = _points_in(wide_ll, len(types), rng)
    elderly = np.repeat(
        np.array(list(_ELDERLY_PER_500)),
        [max(1, round(n * k / 500)) for k in _ELDERLY_PER_500.values()],
    )
    centres = np.vstack(
        [centres, _points_in(wide_ll, len(elderly), np.random.default_rng(seed + 4))]
    )
    types = np.concatenate([types, elderly])
    cx, cy = fwd.transform(centres[:, 0], centres[:, 1])
    elon: list[float] = []
    elat: list[float] = []
    efac: list[int] = []
    for i, t in enumerate(types.tolist()):
        if t == "park":
            gates = int(rng.integers(2, 5))
            angle = rng.uniform(0, 2 * np.pi) + np.arange(gates) * 2 * np.pi / gates
            r = rng.uniform(60.0, 150.0)
            gx, gy = cx[i] + r * np.cos(angle), cy[i] + r * np.sin(angle)
        else:
            gx, gy = np.array([cx[i]]), np.array([cy[i]])
        ll = _to_lonlat(np.asarray(gx), np.asarray(gy))
        elon.extend(ll[:, 0].tolist())
        elat.extend(ll[:, 1].tolist())
        efac.extend([i] * len(ll))
    capacity = np.full(len(types), np.nan)
    for t, (lo, hi) in _CAPACITY.items():
        m = types == t
        capacity[m] = rng.integers(lo, hi + 1, int(m.sum()))
    return Facilities(
        types,
        capacity,
        np.asarray(elon),
        np.asarray(elat),
        np.asarray(efac, dtype=np.int64),
        np.array([f"demo-{i:04d}" for i in range(len(types))]),
    )


def synthetic_city(
    nodes: int = 500_000, *, seed: int = 11, spacing_m: float = 100.0
) -> WalkNetwork:
    """A city-sized street network for benchmarks: a jittered lattice with some links missing
    and some diagonals, edge lengths mostly 50-150 m, centred on Shanghai."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(nodes)))
    rows, cols = side, int(np.ceil(nodes / side))
    gx, gy = np.meshgrid(np.arange(cols) * spacing_m, np.arange(rows) * spacing_m)
    x = (gx - gx.mean()).ravel() + rng.uniform(-0.2, 0.2, gx.size) * spacing_m
    y = (gy - gy.mean()).ravel() + rng.uniform(-0.2, 0.2, gy.size) * spacing_m
    idx = np.arange(rows * cols).reshape(rows, cols)
    u = [idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = [idx[:, 1:].ravel(), idx[1:, :].ravel()]
    keep = [rng.random(len(a)) > 0.07 for a in u]
    u = [a[k] for a, k in zip(u, keep, strict=True)]
    v = [a[k] for a, k in zip(v, keep, strict=True)]
    diag = rng.random((rows - 1) * (cols - 1)) < 0.04
    u.append(idx[:-1, :-1].ravel()[diag])
    v.append(idx[1:, 1:].ravel()[diag])
    eu, ev = np.concatenate(u), np.concatenate(v)
    crs = local_crs(121.47, 31.23)
    lon, lat = transformers(crs)[1].transform(x, y)
    net = WalkNetwork(
        lon,
        lat,
        x,
        y,
        eu,
        ev,
        np.hypot(x[eu] - x[ev], y[eu] - y[ev]),
        crs=crs,
        meta={"source": "synthetic_city", "seed": seed, "label": SYNTHETIC_LABEL},
    )
    return net.largest_component()


def random_facilities(
    network: WalkNetwork, n: int, types: list[str] | tuple[str, ...], *, seed: int = 13
) -> Facilities:
    """n facilities spread uniformly over the network's bounding box, types round-robin."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(network.x.min(), network.x.max(), n)
    y = rng.uniform(network.y.min(), network.y.max(), n)
    lon, lat = network.unproject(x, y)
    kinds = np.array(types)[np.arange(n) % len(types)]
    return Facilities.from_points(kinds, lon, lat)
