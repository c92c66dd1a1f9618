"""Snap points (home entrances, facility gates, candidate sites) onto the walking network.

A snapped point is described by its two *anchors*: the end nodes of the edge it lies on, each with
the walking cost from the point to that node, the straight-line snap distance included. Any trip
from the point leaves through one of them, so ``min(cost_u + d[node_u], cost_v + d[node_v])`` is
its exact network distance, except to a point on the same edge (handled by the caller with
``edge`` and ``pos_m``). Snapping to nodes is the degenerate case ``node_u == node_v``, ``edge ==
-1``; it is what tools such as pandana do and is kept for like-for-like comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from .network import WalkNetwork

SnapMode = Literal["edge", "node"]

# Edge midpoints examined per point before the exactness check (see Snapper._nearest_edges).
KNN_CANDIDATES = 16


@dataclass(frozen=True)
class Snapped:
    edge: NDArray[np.int64]
    node_u: NDArray[np.int64]
    node_v: NDArray[np.int64]
    cost_u: NDArray[np.float64]
    cost_v: NDArray[np.float64]
    pos_m: NDArray[np.float64]
    offset_m: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.edge)

    def take(self, index: ArrayLike) -> Snapped:
        i = np.asarray(index, dtype=np.int64)
        return Snapped(
            self.edge[i],
            self.node_u[i],
            self.node_v[i],
            self.cost_u[i],
            self.cost_v[i],
            self.pos_m[i],
            self.offset_m[i],
        )


class Snapper:
    """Holds the spatial index of one network, built once per mode on first use."""

    def __init__(self, network: WalkNetwork, mode: SnapMode = "edge") -> None:
        if mode not in ("edge", "node"):
            raise ValueError(f"snap mode must be 'edge' or 'node', not {mode!r}")
        self.network = network
        self.mode: SnapMode = mode
        self._node_tree: cKDTree | None = None
        self._edge_tree: shapely.STRtree | None = None
        self._mid_tree: cKDTree | None = None
        self._max_half = 0.0

    def snap(self, lon: ArrayLike, lat: ArrayLike) -> Snapped:
        x, y = self.network.project(np.atleast_1d(lon), np.atleast_1d(lat))
        return self.snap_xy(x, y)

    def snap_xy(self, x: ArrayLike, y: ArrayLike) -> Snapped:
        xa = np.atleast_1d(np.asarray(x, dtype=np.float64))
        ya = np.atleast_1d(np.asarray(y, dtype=np.float64))
        if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
            raise ValueError("points to snap must have finite coordinates")
        if self.mode == "node":
            return self._snap_nodes(xa, ya)
        return self._snap_edges(xa, ya)

    def _snap_nodes(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Snapped:
        if self._node_tree is None:
            self._node_tree = cKDTree(np.column_stack([self.network.x, self.network.y]))
        dist, node = self._node_tree.query(np.column_stack([x, y]))
        node = np.asarray(node, dtype=np.int64)
        dist = np.asarray(dist, dtype=np.float64)
        return Snapped(
            edge=np.full(len(node), -1, dtype=np.int64),
            node_u=node,
            node_v=node.copy(),
            cost_u=dist,
            cost_v=dist.copy(),
            pos_m=np.zeros(len(node)),
            offset_m=dist.copy(),
        )

    def _snap_edges(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Snapped:
        net = self.network
        edge = self._nearest_edges(x, y)
        u = net.edge_u[edge].astype(np.int64)
        v = net.edge_v[edge].astype(np.int64)
        t, offset = _project_on_segments(net, edge, x, y)
        length = net.edge_length[edge]
        pos = t * length
        return Snapped(
            edge=edge,
            node_u=u,
            node_v=v,
            cost_u=offset + pos,
            cost_v=offset + (length - pos),
            pos_m=pos,
            offset_m=offset,
        )

    def _nearest_edges(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray:
        """Exact nearest edge per point.

        The k nearest edge midpoints give a candidate distance d; an edge whose midpoint is
        farther than d + (longest half-edge) cannot be nearer, so if the k-th midpoint is that
        far the answer is certain. The few points where it is not (near very long edges) go to
        an STRtree, which is exact but several times slower per point.
        """
        net = self.network
        n = len(x)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        if self._mid_tree is None:
            mx = (net.x[net.edge_u] + net.x[net.edge_v]) / 2
            my = (net.y[net.edge_u] + net.y[net.edge_v]) / 2
            self._mid_tree = cKDTree(np.column_stack([mx, my]))
            half = np.hypot(
                net.x[net.edge_u] - net.x[net.edge_v], net.y[net.edge_u] - net.y[net.edge_v]
            )
            self._max_half = float(half.max()) / 2 if len(half) else 0.0
        k = min(KNN_CANDIDATES, net.n_edges)
        mid_d, cand = self._mid_tree.query(np.column_stack([x, y]), k=k)
        mid_d = mid_d.reshape(n, k)
        cand = cand.reshape(n, k)
        _, dist = _project_on_segments(net, cand, x[:, None], y[:, None])
        best = np.argmin(dist, axis=1)
        rows = np.arange(n)
        edge = cand[rows, best].astype(np.int64)
        best_d = dist[rows, best]
        unsure = np.flatnonzero((k < net.n_edges) & (mid_d[:, -1] < best_d + self._max_half + 1e-9))
        if len(unsure):
            if self._edge_tree is None:
                self._edge_tree = shapely.STRtree(
                    shapely.linestrings(
                        np.stack(
                            [
                                np.column_stack([net.x[net.edge_u], net.y[net.edge_u]]),
                                np.column_stack([net.x[net.edge_v], net.y[net.edge_v]]),
                            ],
                            axis=1,
                        )
                    )
                )
            pairs = self._edge_tree.query_nearest(
                shapely.points(x[unsure], y[unsure]), all_matches=False
            )
            edge[unsure[pairs[0]]] = pairs[1]
        return edge


def _project_on_segments(
    net: WalkNetwork, edge: NDArray[np.int64], x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Fraction along each edge of the closest point to (x, y), and the distance to it."""
    u, v = net.edge_u[edge], net.edge_v[edge]
    ax, ay = net.x[u], net.y[u]
    dx, dy = net.x[v] - ax, net.y[v] - ay
    seg2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(seg2 > 0, ((x - ax) * dx + (y - ay) * dy) / seg2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    return t, np.hypot(ax + t * dx - x, ay + t * dy - y)
