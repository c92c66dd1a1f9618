"""Service areas: the stretches of street within walking distance of a facility type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .network import WalkNetwork
from .snap import Snapped


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


def walkable_stretches(
    net: WalkNetwork,
    facility_type: str,
    thr: float,
    node_d: NDArray[np.float64],
    src: Snapped,
) -> ServiceArea:
    """Network stretches within ``thr`` of the nearest facility of a type, from each node's
    walking distance to it (``node_d``) and the type's snapped entrances (``src``)."""
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
