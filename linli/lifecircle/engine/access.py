"""Walk accessibility on a :class:`WalkNetwork`: nearest facility, coverage, 2SFCA, what-if.

Distances are exact network distances between snapped points, the snap distances of both ends
included. Facilities with several entrances (park gates) are reached through the nearest one.
Every search is ``scipy.sparse.csgraph.dijkstra``; sources with a start cost (a facility's gate
lies part-way along an edge and off the street) are handled with virtual source nodes appended
to the graph whose outgoing edges carry those costs, so one Dijkstra pass serves a whole type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csgraph

from .network import WalkNetwork, min_csr
from .snap import SnapMode, Snapped, Snapper
from .standards import (
    DEFAULT_STANDARDS,
    GROUP_ALL,
    WEIGHT_OVER_60,
    FacilityStandard,
    WalkingSpeeds,
)

# Dense distance blocks are cut into chunks of about this many cells, bounding peak memory.
CHUNK_CELLS = 4_000_000


# -- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Homes:
    """Population points: quarter entrances or finer points, each with its residents."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    population: NDArray[np.float64]
    over_60: NDArray[np.float64]
    ids: NDArray[Any] | None = None
    #: Optional label per point (the quarter), for coverage by quarter.
    group: NDArray[Any] | None = None

    def __post_init__(self) -> None:
        n = len(self.lon)
        for name in ("lat", "population", "over_60"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"homes: {name} has {len(getattr(self, name))} values, not {n}")
        if np.any(self.population < 0) or np.any(self.over_60 < 0):
            raise ValueError("homes: population counts must not be negative")
        if np.any(self.over_60 > self.population):
            raise ValueError("homes: over_60 cannot exceed population")

    @classmethod
    def from_arrays(
        cls,
        lon: ArrayLike,
        lat: ArrayLike,
        population: ArrayLike | None = None,
        over_60: ArrayLike | None = None,
        *,
        ids: ArrayLike | None = None,
        group: ArrayLike | None = None,
    ) -> Homes:
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        pop = (
            np.ones(len(lon_a))
            if population is None
            else np.atleast_1d(np.asarray(population, dtype=np.float64))
        )
        old = (
            np.zeros(len(lon_a))
            if over_60 is None
            else np.atleast_1d(np.asarray(over_60, dtype=np.float64))
        )
        return cls(
            lon_a,
            np.atleast_1d(np.asarray(lat, dtype=np.float64)),
            pop,
            old,
            None if ids is None else np.asarray(ids),
            None if group is None else np.asarray(group),
        )

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Homes:
        rows = list(records)
        return cls.from_arrays(
            [r["lon"] for r in rows],
            [r["lat"] for r in rows],
            [r.get("population", 1) for r in rows],
            [r.get("over_60", 0) for r in rows],
            ids=[r.get("id", i) for i, r in enumerate(rows)],
            group=np.asarray([r.get("group") for r in rows], dtype=object),
        )

    def __len__(self) -> int:
        return len(self.lon)

    def weights(self, weight: str) -> NDArray[np.float64]:
        return self.over_60 if weight == WEIGHT_OVER_60 else self.population


@dataclass(frozen=True)
class Facilities:
    """Facilities with a type, a capacity (NaN if unknown) and one or more entrances."""

    types: NDArray[np.str_]
    capacity: NDArray[np.float64]
    entrance_lon: NDArray[np.float64]
    entrance_lat: NDArray[np.float64]
    entrance_facility: NDArray[np.int64]
    ids: NDArray[Any] | None = None

    def __post_init__(self) -> None:
        if len(self.capacity) != len(self.types):
            raise ValueError("facilities: one capacity per facility")
        m = len(self.entrance_lon)
        if len(self.entrance_lat) != m or len(self.entrance_facility) != m:
            raise ValueError("facilities: entrance arrays differ in length")
        if m and (self.entrance_facility.min() < 0 or self.entrance_facility.max() >= len(self)):
            raise ValueError("facilities: entrance refers to an unknown facility")
        missing = np.setdiff1d(np.arange(len(self)), self.entrance_facility)
        if len(missing):
            raise ValueError(f"facilities: {len(missing)} facilities have no entrance")

    @classmethod
    def from_points(
        cls,
        types: Sequence[str] | NDArray[np.str_],
        lon: ArrayLike,
        lat: ArrayLike,
        capacity: ArrayLike | None = None,
        *,
        ids: ArrayLike | None = None,
    ) -> Facilities:
        """One entrance per facility, at its point."""
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        n = len(lon_a)
        cap = (
            np.full(n, np.nan)
            if capacity is None
            else np.atleast_1d(np.asarray(capacity, dtype=np.float64))
        )
        return cls(
            np.asarray(types, dtype=np.str_),
            cap,
            lon_a,
            np.atleast_1d(np.asarray(lat, dtype=np.float64)),
            np.arange(n, dtype=np.int64),
            None if ids is None else np.asarray(ids),
        )

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Facilities:
        """Records with ``type``, ``capacity`` (optional), ``id`` (optional) and either
        ``entrances`` (a list of (lon, lat)) or ``lon``/``lat``."""
        types, caps, ids, elon, elat, efac = [], [], [], [], [], []
        for i, r in enumerate(records):
            types.append(str(r["type"]))
            cap = r.get("capacity")
            caps.append(np.nan if cap is None else float(cap))
            ids.append(r.get("id", i))
            entrances = r.get("entrances") or [(r["lon"], r["lat"])]
            for lon, lat in entrances:
                elon.append(float(lon))
                elat.append(float(lat))
                efac.append(i)
        return cls(
            np.asarray(types, dtype=np.str_),
            np.asarray(caps, dtype=np.float64),
            np.asarray(elon, dtype=np.float64),
            np.asarray(elat, dtype=np.float64),
            np.asarray(efac, dtype=np.int64),
            np.asarray(ids),
        )

    def __len__(self) -> int:
        return len(self.types)


# -- results --------------------------------------------------------------------------------


@dataclass
class GroupShare:
    covered_weight: float
    total_weight: float

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight > 0 else float("nan")


@dataclass
class Coverage:
    type: str
    threshold_m: float
    weight: str
    #: Nearest-facility walking distance per home point (inf: none reachable).
    distance_m: NDArray[np.float64]
    covered: NDArray[np.bool_]
    #: Facilities of the type within the threshold, per home point.
    count: NDArray[np.int64] | None
    covered_weight: float
    total_weight: float
    by_group: dict[Any, GroupShare] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def gaps(self) -> NDArray[np.int64]:
        """Home points outside the threshold, farthest first."""
        idx = np.flatnonzero(~self.covered)
        return idx[np.argsort(-self.distance_m[idx], kind="stable")]

    def summary(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "threshold_m": self.threshold_m,
            "weight": self.weight,
            "covered_weight": self.covered_weight,
            "total_weight": self.total_weight,
            "share": self.share,
            "uncovered_points": int((~self.covered).sum()),
        }


@dataclass
class TwoStepFCA:
    """Two-step floating catchment: ratio = capacity / demand within reach, per facility;
    access = sum of the ratios within reach, per home point."""

    type: str
    threshold_m: float
    weight: str
    facility: NDArray[np.int64]  # indices into Facilities
    facility_demand: NDArray[np.float64]
    facility_ratio: NDArray[np.float64]  # NaN where nobody is within reach
    home_access: NDArray[np.float64]
    missing_capacity: int

    def summary(self) -> dict[str, Any]:
        reached = self.home_access[np.isfinite(self.home_access)]
        return {
            "type": self.type,
            "threshold_m": self.threshold_m,
            "weight": self.weight,
            "facilities": len(self.facility),
            "missing_capacity": self.missing_capacity,
            "median_access": float(np.median(reached)) if len(reached) else float("nan"),
            "zero_access_points": int((self.home_access == 0).sum()),
        }


@dataclass
class WhatIf:
    type: str
    lon: float
    lat: float
    snap_m: float
    threshold_m: float
    newly_covered: NDArray[np.int64]
    added_weight: float
    covered_weight_before: float
    total_weight: float
    #: Walking distance from the candidate to each newly covered home point.
    distance_m: NDArray[np.float64]

    @property
    def share_before(self) -> float:
        return _share(self.covered_weight_before, self.total_weight)

    @property
    def share_after(self) -> float:
        return _share(self.covered_weight_before + self.added_weight, self.total_weight)


@dataclass
class CandidateScore:
    index: int  # position in the candidate list
    lon: float
    lat: float
    snap_m: float
    added_weight: float
    newly_covered: int


@dataclass
class ServiceArea:
    """Stretches of network edges within the threshold of the nearest facility of a type.

    Each row is edge ``edge`` from ``start_m`` to ``end_m`` (metres from the edge's first node);
    ``distance_m`` is the walking distance at the stretch's nearest point, for colouring.
    """

    type: str
    threshold_m: float
    edge: NDArray[np.int64]
    start_m: NDArray[np.float64]
    end_m: NDArray[np.float64]
    distance_m: NDArray[np.float64]

    def length_m(self) -> float:
        return float((self.end_m - self.start_m).sum())

    def to_geojson(self, network: WalkNetwork) -> dict[str, Any]:
        u = network.edge_u[self.edge]
        v = network.edge_v[self.edge]
        length = network.edge_length[self.edge]
        with np.errstate(invalid="ignore", divide="ignore"):
            t0 = np.where(length > 0, self.start_m / length, 0.0)
            t1 = np.where(length > 0, self.end_m / length, 1.0)
        dx, dy = network.x[v] - network.x[u], network.y[v] - network.y[u]
        lon0, lat0 = network.unproject(network.x[u] + t0 * dx, network.y[u] + t0 * dy)
        lon1, lat1 = network.unproject(network.x[u] + t1 * dx, network.y[u] + t1 * dy)
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(lon0[i]), 7), round(float(lat0[i]), 7)],
                        [round(float(lon1[i]), 7), round(float(lat1[i]), 7)],
                    ],
                },
                "properties": {
                    "edge": int(self.edge[i]),
                    "distance_m": round(float(self.distance_m[i]), 1),
                },
            }
            for i in range(len(self.edge))
        ]
        return {
            "type": "FeatureCollection",
            "features": features,
            "properties": {"facility_type": self.type, "threshold_m": self.threshold_m},
        }


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else float("nan")


# -- the engine -----------------------------------------------------------------------------


class Accessibility:
    """Accessibility of facilities from home points over one walking network.

    Results are cached per instance; build a new instance when homes or facilities change.
    """

    def __init__(
        self,
        network: WalkNetwork,
        homes: Homes | None,
        facilities: Facilities,
        standards: Iterable[FacilityStandard] | Mapping[str, FacilityStandard] = DEFAULT_STANDARDS,
        *,
        speeds: WalkingSpeeds | None = None,
        snap: SnapMode = "edge",
    ) -> None:
        self.network = network
        self.homes = homes if homes is not None else Homes.from_arrays([], [])
        self.facilities = facilities
        values = standards.values() if isinstance(standards, Mapping) else standards
        self.standards: dict[str, FacilityStandard] = {s.key: s for s in values}
        self.speeds = speeds or WalkingSpeeds()
        self.snapper = Snapper(network, snap)
        self.graph: sp.csr_matrix = network.graph
        self.n = network.n_nodes
        self.home_snap = self.snapper.snap(self.homes.lon, self.homes.lat)
        self.entrance_snap = self.snapper.snap(facilities.entrance_lon, facilities.entrance_lat)
        self._entrance_type = facilities.types[facilities.entrance_facility]
        self._type_graph: sp.csr_matrix | None = None
        self._anchors: (
            list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]] | None
        ) = None
        self._buf: NDArray[np.float64] | None = None
        self._home_edge_order: NDArray[np.int64] | None = None
        self._group_index: tuple[NDArray[np.str_], NDArray[np.int64]] | None = None
        self._type_row: dict[str, int] = {}
        self._nearest_cache: dict[str, tuple[float, NDArray[np.float64], NDArray[np.float64]]] = {}
        self._pairs_cache: dict[
            tuple[str, float],
            tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
        ] = {}

    # -- thresholds ---------------------------------------------------------------------------

    @property
    def types(self) -> list[str]:
        """Types with a standard, in the standards' order."""
        return list(self.standards)

    def threshold_m(self, facility_type: str) -> float:
        """Effective distance for the group that walks to this type (see WalkingSpeeds)."""
        try:
            return self.speeds.threshold_m(self.standards[facility_type])
        except KeyError:
            raise KeyError(f"no standard for facility type {facility_type!r}") from None

    def _weight_name(self, facility_type: str) -> str:
        std = self.standards.get(facility_type)
        return std.weight if std else "population"

    def walk_minutes(self, distance_m: ArrayLike, facility_type: str) -> NDArray[np.float64]:
        std = self.standards.get(facility_type)
        group = std.group if std else GROUP_ALL
        return np.asarray(distance_m, dtype=np.float64) / self.speeds.speed(group) / 60.0

    # -- graph with virtual sources -------------------------------------------------------------

    def _augment(self, src: Snapped, row_of: NDArray[np.int64], k: int) -> sp.csr_matrix:
        """The network plus ``k`` source nodes; source ``r`` reaches each snapped point with
        ``row_of == r`` through its anchors at their snap costs. Nothing leads back into a
        source node, so a search from one never passes through another."""
        g = self.graph
        n = self.n
        rows = np.concatenate([row_of, row_of])
        cols = np.concatenate([src.node_u, src.node_v])
        data = np.concatenate([src.cost_u, src.cost_v])
        virt = min_csr(k, n + k, rows, cols, data)
        indptr = np.concatenate([g.indptr, g.indptr[-1] + virt.indptr[1:]])
        indices = np.concatenate([g.indices, virt.indices.astype(g.indices.dtype)])
        weights = np.concatenate([g.data, virt.data])
        return sp.csr_matrix((weights, indices, indptr), shape=(n + k, n + k))

    def _type_entrances(self, facility_type: str) -> NDArray[np.int64]:
        return np.flatnonzero(self._entrance_type == facility_type)

    def _all_types_graph(self) -> sp.csr_matrix:
        # One source node per facility type, built once: every nearest search reuses it.
        if self._type_graph is None:
            present, row_of = np.unique(self._entrance_type, return_inverse=True)
            self._type_row = {str(t): i for i, t in enumerate(present)}
            self._type_graph = self._augment(
                self.entrance_snap, row_of.reshape(-1).astype(np.int64), len(present)
            )
        return self._type_graph

    # -- nearest facility ---------------------------------------------------------------------

    def nearest_at_nodes(self, facility_type: str, *, limit: float | None = None) -> NDArray:
        """Walking distance from every network node to the nearest facility of a type.

        ``limit`` bounds the search (metres; farther nodes get inf).
        """
        lim = np.inf if limit is None else float(limit)
        cached = self._nearest_cache.get(facility_type)
        if cached is not None and cached[0] >= lim:
            node_d = cached[1]
            return node_d if cached[0] == lim else np.where(node_d <= lim, node_d, np.inf)
        self._compute_nearest(facility_type, lim)
        return self._nearest_cache[facility_type][1]

    def _compute_nearest(self, facility_type: str, lim: float) -> None:
        ent = self._type_entrances(facility_type)
        if len(ent) == 0:
            node_d = np.full(self.n, np.inf)
            home_d = np.full(len(self.homes), np.inf)
        else:
            g = self._all_types_graph()
            row = self.n + self._type_row[facility_type]
            node_d = csgraph.dijkstra(g, directed=True, indices=row, limit=lim)[: self.n]
            home_d = self._to_homes(node_d[None, :])[0]
            hi, ei, direct = self._same_edge(self.entrance_snap.take(ent))
            if len(hi):
                np.minimum.at(home_d, hi, direct)
            if np.isfinite(lim):
                home_d[home_d > lim] = np.inf
        self._nearest_cache[facility_type] = (lim, node_d, home_d)

    def nearest(
        self, types: Iterable[str] | None = None, *, limit: float | None = None
    ) -> dict[str, NDArray[np.float64]]:
        """Nearest-facility walking distance per home point, per type (inf: none reachable)."""
        lim = np.inf if limit is None else float(limit)
        out = {}
        for t in self.types if types is None else types:
            cached = self._nearest_cache.get(t)
            if cached is None or cached[0] < lim:
                self._compute_nearest(t, lim)
                cached = self._nearest_cache[t]
            d = cached[2]
            out[t] = d if cached[0] == lim else np.where(d <= lim, d, np.inf)
        return out

    def _to_homes(self, node_d: NDArray[np.float64]) -> NDArray[np.float64]:
        """(k, nodes) distances to (k, homes), each home leaving through its better anchor."""
        h = self.home_snap
        return np.minimum(h.cost_u + node_d[:, h.node_u], h.cost_v + node_d[:, h.node_v])

    def _homes_within(
        self,
        node_d: NDArray[np.float64],
        threshold: float,
        same_edge: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """(source row, home, distance) for homes within ``threshold`` of each row's source.

        ``node_d`` is (rows, nodes) from a bounded search; ``same_edge`` gives (row, home,
        direct distance) for homes on a source's own edge. Only the nodes the search reached
        are touched: a dense gather over every home costs more than the search itself. A
        scratch block is reused and reset cell by cell, so nothing proportional to
        rows x homes is allocated or scanned per call.
        """
        k = node_d.shape[0]
        n_homes = len(self.home_snap)
        buf = self._scratch(k * n_homes).reshape(k, n_homes)
        kk, nn = np.nonzero(node_d <= threshold)
        base = node_d[kk, nn]
        sides: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = []
        for ptr, order, cost in self._anchor_index():
            counts = ptr[nn + 1] - ptr[nn]
            shift = np.repeat(ptr[nn] - (np.cumsum(counts) - counts), counts)
            homes = order[np.arange(int(counts.sum())) + shift]
            rows = np.repeat(kk, counts)
            cand = np.repeat(base, counts) + cost[homes]
            # Within one side each (row, home) occurs once: a home has one anchor per side.
            buf[rows, homes] = np.minimum(buf[rows, homes], cand)
            sides.append((rows, homes))
        sr, sh, sd = same_edge
        if len(sr):
            np.minimum.at(buf, (sr, sh), sd)
            # Two gates of one facility on a home's edge give the same pair twice.
            pair = np.unique(sr * n_homes + sh)
            sides.append((pair // n_homes, pair % n_homes))
        out_r, out_h, out_d = [], [], []
        for rows, homes in sides:
            d = buf[rows, homes]
            # Reading a cell resets it, so a pair seen on an earlier side is not repeated;
            # within one side pairs are unique.
            buf[rows, homes] = np.inf
            ok = d <= threshold
            out_r.append(rows[ok])
            out_h.append(homes[ok])
            out_d.append(d[ok])
        if not out_r:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
        return (
            np.concatenate(out_r).astype(np.int64),
            np.concatenate(out_h).astype(np.int64),
            np.concatenate(out_d),
        )

    def _scratch(self, size: int) -> NDArray[np.float64]:
        if self._buf is None or len(self._buf) < size:
            self._buf = np.full(max(size, 1), np.inf)
        return self._buf[:size]

    def _anchor_index(
        self,
    ) -> list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]]:
        """Per anchor side: node -> homes anchored there, as (indptr, home order, cost)."""
        if self._anchors is None:
            h = self.home_snap
            self._anchors = []
            for node, cost in ((h.node_u, h.cost_u), (h.node_v, h.cost_v)):
                order = np.argsort(node, kind="stable")
                ptr = np.zeros(self.n + 1, dtype=np.int64)
                np.cumsum(np.bincount(node, minlength=self.n), out=ptr[1:])
                self._anchors.append((ptr, order.astype(np.int64), cost))
        return self._anchors

    def _same_edge(
        self, src: Snapped
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """(home, source, direct distance) for homes snapped onto a source's own edge: the
        anchor formula misses the direct walk along that edge."""
        homes = self.home_snap
        if self._home_edge_order is None:
            self._home_edge_order = np.argsort(homes.edge, kind="stable").astype(np.int64)
        order = self._home_edge_order
        sorted_edges = homes.edge[order]
        lo = np.searchsorted(sorted_edges, src.edge, side="left")
        hi = np.searchsorted(sorted_edges, src.edge, side="right")
        hi[src.edge < 0] = lo[src.edge < 0]  # snapped to a node: no edge to share
        counts = hi - lo
        si = np.repeat(np.arange(len(src), dtype=np.int64), counts)
        # Position j of the expansion belongs to source s_j and maps to order[lo + offset].
        shift = np.repeat(lo - (np.cumsum(counts) - counts), counts)
        hi_ = order[np.arange(len(si)) + shift]
        direct = homes.offset_m[hi_] + src.offset_m[si] + np.abs(homes.pos_m[hi_] - src.pos_m[si])
        return hi_, si, direct

    # -- facilities within reach ----------------------------------------------------------------

    def _pairs(
        self, facility_type: str, threshold: float
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """(home, facility, distance) for every facility of a type within ``threshold``."""
        key = (facility_type, threshold)
        if key in self._pairs_cache:
            return self._pairs_cache[key]
        fac = np.flatnonzero(self.facilities.types == facility_type)
        homes_n = len(self.homes)
        out_h: list[NDArray[np.int64]] = []
        out_f: list[NDArray[np.int64]] = []
        out_d: list[NDArray[np.float64]] = []
        chunk = max(1, CHUNK_CELLS // max(self.n, homes_n, 1))
        ef = self.facilities.entrance_facility
        for start in range(0, len(fac), chunk):
            block = fac[start : start + chunk]
            local = np.full(len(self.facilities), -1, dtype=np.int64)
            local[block] = np.arange(len(block))
            ent = np.flatnonzero(local[ef] >= 0)
            src = self.entrance_snap.take(ent)
            g = self._augment(src, local[ef[ent]], len(block))
            rows = self.n + np.arange(len(block))
            node_d = csgraph.dijkstra(g, directed=True, indices=rows, limit=threshold)[:, : self.n]
            hi, ei, direct = self._same_edge(src)
            rows, homes, dist = self._homes_within(
                node_d, threshold, (local[ef[ent[ei]]], hi, direct)
            )
            out_h.append(homes)
            out_f.append(block[rows])
            out_d.append(dist)
        result = (
            np.concatenate(out_h) if out_h else np.empty(0, np.int64),
            np.concatenate(out_f) if out_f else np.empty(0, np.int64),
            np.concatenate(out_d) if out_d else np.empty(0),
        )
        self._pairs_cache[key] = result
        return result

    def within(
        self, facility_type: str, threshold_m: float | None = None
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """Every (home index, facility index, distance) within the threshold."""
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        return self._pairs(facility_type, thr)

    def counts(self, types: Iterable[str] | None = None) -> dict[str, NDArray[np.int64]]:
        """Number of facilities of each type within its threshold, per home point."""
        out = {}
        for t in self.types if types is None else types:
            h, _, _ = self._pairs(t, self.threshold_m(t))
            out[t] = np.bincount(h, minlength=len(self.homes)).astype(np.int64)
        return out

    # -- coverage -----------------------------------------------------------------------------

    def coverage(
        self, types: Iterable[str] | None = None, *, with_counts: bool = True
    ) -> dict[str, Coverage]:
        """Share of residents (or of residents over 60, for elderly services) within reach."""
        out = {}
        for t in self.types if types is None else types:
            thr = self.threshold_m(t)
            dist = self.nearest([t])[t]
            covered = dist <= thr
            weight_name = self._weight_name(t)
            w = self.homes.weights(weight_name)
            by_group: dict[Any, GroupShare] = {}
            if self.homes.group is not None and len(self.homes):
                labels, inv = self._groups()
                cov_w = np.bincount(inv, weights=w * covered, minlength=len(labels))
                tot_w = np.bincount(inv, weights=w, minlength=len(labels))
                by_group = {
                    str(lab): GroupShare(float(c), float(tw))
                    for lab, c, tw in zip(labels, cov_w, tot_w, strict=True)
                }
            out[t] = Coverage(
                type=t,
                threshold_m=thr,
                weight=weight_name,
                distance_m=dist,
                covered=covered,
                count=self.counts([t])[t] if with_counts else None,
                covered_weight=float(w[covered].sum()),
                total_weight=float(w.sum()),
                by_group=by_group,
            )
        return out

    def _groups(self) -> tuple[NDArray[np.str_], NDArray[np.int64]]:
        if self._group_index is None:
            group = self.homes.group if self.homes.group is not None else np.zeros(0)
            labels, inv = np.unique(group.astype(str), return_inverse=True)
            self._group_index = (labels, inv.reshape(-1).astype(np.int64))
        return self._group_index

    def report(self) -> dict[str, Any]:
        """The full coverage report: every type's coverage and counts, 2SFCA where capacity
        limits supply. Plain data, ready for a page or an export."""
        cov = self.coverage()
        fca = {
            t: self.two_step_fca(t).summary()
            for t, s in self.standards.items()
            if s.capacity_unit is not None
        }
        return {
            "homes": len(self.homes),
            "population": float(self.homes.population.sum()),
            "over_60": float(self.homes.over_60.sum()),
            "facilities": len(self.facilities),
            "coverage": {t: c.summary() for t, c in cov.items()},
            "two_step_fca": fca,
        }

    # -- 2SFCA --------------------------------------------------------------------------------

    def two_step_fca(self, facility_type: str, threshold_m: float | None = None) -> TwoStepFCA:
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        weight_name = self._weight_name(facility_type)
        w = self.homes.weights(weight_name)
        fac = np.flatnonzero(self.facilities.types == facility_type)
        cap = self.facilities.capacity[fac]
        missing = int(np.isnan(cap).sum())
        supply = np.where(np.isnan(cap), 0.0, cap)
        h, f, _ = self._pairs(facility_type, thr)
        local = np.full(len(self.facilities), -1, dtype=np.int64)
        local[fac] = np.arange(len(fac))
        fl = local[f]
        demand = np.bincount(fl, weights=w[h], minlength=len(fac)).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(demand > 0, supply / demand, np.nan)
        access = np.bincount(h, weights=np.nan_to_num(ratio[fl]), minlength=len(self.homes)).astype(
            np.float64
        )
        return TwoStepFCA(
            type=facility_type,
            threshold_m=thr,
            weight=weight_name,
            facility=fac,
            facility_demand=demand,
            facility_ratio=ratio,
            home_access=access,
            missing_capacity=missing,
        )

    # -- what-if ------------------------------------------------------------------------------

    def _candidate_reach(
        self, cand: Snapped, threshold: float
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """(candidate, home, distance) for homes within ``threshold`` of each candidate."""
        anchors, inv = np.unique(np.concatenate([cand.node_u, cand.node_v]), return_inverse=True)
        node_d = csgraph.dijkstra(self.graph, directed=True, indices=anchors, limit=threshold)
        k = len(cand)
        iu, iv = inv[:k], inv[k:]
        cand_node_d = np.minimum(
            cand.cost_u[:, None] + node_d[iu], cand.cost_v[:, None] + node_d[iv]
        )
        hi, ci, direct = self._same_edge(cand)
        return self._homes_within(cand_node_d, threshold, (ci, hi, direct))

    def what_if(self, lon: float, lat: float, facility_type: str) -> WhatIf:
        """The coverage a new facility of a type at (lon, lat) would add."""
        thr = self.threshold_m(facility_type)
        cand = self.snapper.snap([lon], [lat])
        current = self.nearest([facility_type])[facility_type]
        w = self.homes.weights(self._weight_name(facility_type))
        _, homes, dist = self._candidate_reach(cand, thr)
        fresh = ~(current[homes] <= thr)
        new, new_d = homes[fresh], dist[fresh]
        order = np.argsort(new, kind="stable")
        new, new_d = new[order], new_d[order]
        return WhatIf(
            type=facility_type,
            lon=float(lon),
            lat=float(lat),
            snap_m=float(cand.offset_m[0]),
            threshold_m=thr,
            newly_covered=new,
            added_weight=float(w[new].sum()),
            covered_weight_before=float(w[current <= thr].sum()),
            total_weight=float(w.sum()),
            distance_m=new_d,
        )

    def rank_candidates(
        self,
        lon: ArrayLike,
        lat: ArrayLike,
        facility_type: str,
        *,
        greedy: bool = False,
        top: int | None = None,
    ) -> list[CandidateScore]:
        """Candidate sites by the weight they would newly cover, best first.

        With ``greedy`` each next site is scored given the sites already picked, which is what a
        planner adding several facilities needs (two sites side by side are not twice as good).
        """
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        thr = self.threshold_m(facility_type)
        cand = self.snapper.snap(lon_a, lat_a)
        w = self.homes.weights(self._weight_name(facility_type))
        uncovered = ~(self.nearest([facility_type])[facility_type] <= thr)
        k = len(cand)
        reach: list[NDArray[np.int64]] = []
        chunk = max(1, CHUNK_CELLS // max(self.n, len(self.homes), 1) // 2)
        for s in range(0, k, chunk):
            idx = np.arange(s, min(k, s + chunk))
            rows, homes, _ = self._candidate_reach(cand.take(idx), thr)
            order = np.argsort(rows, kind="stable")
            reach.extend(
                np.split(homes[order], np.searchsorted(rows[order], np.arange(1, len(idx))))
            )
        limit = k if top is None else min(k, top)

        def score(i: int, open_: NDArray[np.bool_]) -> CandidateScore:
            new = reach[i][open_[reach[i]]]
            return CandidateScore(
                index=i,
                lon=float(lon_a[i]),
                lat=float(lat_a[i]),
                snap_m=float(cand.offset_m[i]),
                added_weight=float(w[new].sum()),
                newly_covered=len(new),
            )

        if not greedy:
            scores = [score(i, uncovered) for i in range(k)]
            scores.sort(key=lambda c: (-c.added_weight, -c.newly_covered, c.index))
            return scores[:limit]
        open_ = uncovered.copy()
        picked: list[CandidateScore] = []
        remaining = set(range(k))
        while remaining and len(picked) < limit:
            best = min(
                (score(i, open_) for i in remaining),
                key=lambda c: (-c.added_weight, -c.newly_covered, c.index),
            )
            picked.append(best)
            remaining.discard(best.index)
            open_[reach[best.index]] = False
        return picked

    # -- walkable service area ------------------------------------------------------------------

    def service_area(self, facility_type: str, threshold_m: float | None = None) -> ServiceArea:
        """Network stretches within the threshold of the nearest facility of a type."""
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        net = self.network
        node_d = self.nearest_at_nodes(facility_type, limit=thr)
        length = net.edge_length
        du, dv = node_d[net.edge_u], node_d[net.edge_v]
        reach_u = thr - du  # how far into the edge one gets from each end
        reach_v = thr - dv
        has_u, has_v = reach_u >= 0, reach_v >= 0
        full = has_u & has_v & (reach_u + reach_v >= length)
        full |= has_u & (reach_u >= length)
        full |= has_v & (reach_v >= length)

        e_full = np.flatnonzero(full)
        e_u = np.flatnonzero(has_u & ~full)
        e_v = np.flatnonzero(has_v & ~full)
        # A gate part-way along an edge covers a stretch around itself that neither end sees.
        src = self.entrance_snap.take(self._type_entrances(facility_type))
        gates = np.flatnonzero((src.edge >= 0) & (src.offset_m <= thr))
        e_g = src.edge[gates]
        r_g = thr - src.offset_m[gates]
        edge = np.concatenate([e_full, e_u, e_v, e_g])
        start = np.concatenate(
            [
                np.zeros(len(e_full)),
                np.zeros(len(e_u)),
                length[e_v] - reach_v[e_v],
                np.maximum(0.0, src.pos_m[gates] - r_g),
            ]
        )
        end = np.concatenate(
            [
                length[e_full],
                reach_u[e_u],
                length[e_v],
                np.minimum(length[e_g], src.pos_m[gates] + r_g),
            ]
        )
        dist = np.concatenate(
            [np.minimum(du[e_full], dv[e_full]), du[e_u], dv[e_v], src.offset_m[gates]]
        )
        edge, start, end, dist = _merge_intervals(edge, start, end, dist)
        return ServiceArea(
            type=facility_type,
            threshold_m=thr,
            edge=edge,
            start_m=start,
            end_m=end,
            distance_m=dist,
        )


def _merge_intervals(
    edge: NDArray[np.int64],
    start: NDArray[np.float64],
    end: NDArray[np.float64],
    dist: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Union of overlapping stretches on each edge, keeping the smallest distance."""
    if len(edge) == 0:
        return edge.astype(np.int64), start, end, dist
    order = np.lexsort((start, edge))
    edge, start, end, dist = edge[order], start[order], end[order], dist[order]
    new_edge = np.r_[True, edge[1:] != edge[:-1]]
    # Running maximum of the end within each edge: shift each edge's ends by a per-edge
    # offset larger than any end so one accumulate pass cannot leak across edges.
    group = np.cumsum(new_edge) - 1
    span = float(end.max()) + 1.0
    running = np.maximum.accumulate(end + group * span) - group * span
    begins = new_edge.copy()
    begins[1:] |= start[1:] > running[:-1]
    first = np.flatnonzero(begins)
    last = np.r_[first[1:] - 1, len(edge) - 1]
    return (
        edge[first].astype(np.int64),
        start[first],
        running[last],
        np.minimum.reduceat(dist, first),
    )
