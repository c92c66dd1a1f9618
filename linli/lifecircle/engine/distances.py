"""Exact walking distances between snapped points: home points, facility entrances, candidates.

Distances are exact network distances between snapped points, the snap distances of both ends
included. Facilities with several entrances (park gates) are reached through the nearest one.
Every search is ``scipy.sparse.csgraph.dijkstra``; sources with a start cost (a facility's gate
lies part-way along an edge and off the street) are handled with virtual source nodes appended
to the graph whose outgoing edges carry those costs, so one Dijkstra pass serves a whole type.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse import csgraph

from .inputs import Facilities
from .network import WalkNetwork, min_csr
from .snap import Snapped

# Dense distance blocks are cut into chunks of about this many cells, bounding peak memory.
CHUNK_CELLS = 4_000_000


class WalkDistances:
    """The searches every analysis shares, over one network with its snapped home points and
    facility entrances. Search results, indexes and a scratch block are kept per instance, so
    the analyses of one set of inputs reuse each other's work."""

    def __init__(
        self,
        network: WalkNetwork,
        facilities: Facilities,
        home_snap: Snapped,
        entrance_snap: Snapped,
    ) -> None:
        self.facilities = facilities
        self.graph: sp.csr_matrix = network.graph
        self.n = network.n_nodes
        self.home_snap = home_snap
        self.entrance_snap = entrance_snap
        self._entrance_type = facilities.types[facilities.entrance_facility]
        self._type_graph: sp.csr_matrix | None = None
        self._anchors: (
            list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]] | None
        ) = None
        self._buf: NDArray[np.float64] | None = None
        self._home_edge_order: NDArray[np.int64] | None = None
        self._type_row: dict[str, int] = {}
        self._nearest_cache: dict[str, tuple[float, NDArray[np.float64], NDArray[np.float64]]] = {}
        self._pairs_cache: dict[
            tuple[str, float],
            tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
        ] = {}

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

    def type_entrances(self, facility_type: str) -> NDArray[np.int64]:
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
        ent = self.type_entrances(facility_type)
        if len(ent) == 0:
            node_d = np.full(self.n, np.inf)
            home_d = np.full(len(self.home_snap), np.inf)
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

    def nearest_at_homes(self, facility_type: str, lim: float) -> NDArray[np.float64]:
        """Nearest-facility walking distance per home point, within ``lim`` (else inf)."""
        cached = self._nearest_cache.get(facility_type)
        if cached is None or cached[0] < lim:
            self._compute_nearest(facility_type, lim)
            cached = self._nearest_cache[facility_type]
        d = cached[2]
        return d if cached[0] == lim else np.where(d <= lim, d, np.inf)

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

    # -- facilities and candidate sites within reach --------------------------------------------

    def pairs(
        self, facility_type: str, threshold: float
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """(home, facility, distance) for every facility of a type within ``threshold``."""
        key = (facility_type, threshold)
        if key in self._pairs_cache:
            return self._pairs_cache[key]
        fac = np.flatnonzero(self.facilities.types == facility_type)
        homes_n = len(self.home_snap)
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

    def candidate_reach(
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
