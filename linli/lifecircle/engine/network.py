"""The walking network: nodes in lon/lat and local metres, undirected edges, CSR adjacency.

Every reader (OSM, GeoJSON, the demo generator) ends in :func:`build_network`, so clipping,
barriers, de-duplication and the removal of stray fragments behave the same whatever the source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer
from scipy.sparse import csgraph

#: The analysis includes the network within this distance outside the boundary (DESIGN.md §6).
CLIP_BUFFER_M = 1000.0

# Zero-length edges (duplicated OSM nodes) are kept as real links but given a length that cannot
# change any distance that matters, so no code path has to treat a zero weight specially.
MIN_EDGE_LENGTH_M = 1e-6

# Vertices closer than this in degrees (about 1 cm) are the same junction in GeoJSON input,
# which has no node ids to tell us.
COORD_DECIMALS = 7

NPZ_FORMAT = "linli-walknetwork-1"


class NetworkImportError(ValueError):
    """A network source could not be turned into a usable walking network."""


def local_crs(lon: float, lat: float) -> str:
    """An azimuthal equidistant projection centred on the area: metres, negligible distortion
    over a few tens of kilometres, and no UTM zone edge to fall off."""
    return (
        f"+proj=aeqd +lat_0={lat:.7f} +lon_0={lon:.7f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


@lru_cache(maxsize=32)
def transformers(crs: str) -> tuple[Transformer, Transformer]:
    """(lon/lat -> crs, crs -> lon/lat); cached, since creating one costs milliseconds."""
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


class WalkNetwork:
    """An undirected walking network; edge lengths in metres.

    Edges are straight segments between nodes, so a point on an edge is fully described by the
    edge index and the distance from ``edge_u`` along it.
    """

    def __init__(
        self,
        lon: ArrayLike,
        lat: ArrayLike,
        x: ArrayLike,
        y: ArrayLike,
        edge_u: ArrayLike,
        edge_v: ArrayLike,
        edge_length: ArrayLike,
        *,
        crs: str,
        edge_bridge: ArrayLike | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.lon = np.ascontiguousarray(lon, dtype=np.float64)
        self.lat = np.ascontiguousarray(lat, dtype=np.float64)
        self.x = np.ascontiguousarray(x, dtype=np.float64)
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.edge_u = np.ascontiguousarray(edge_u, dtype=np.int32)
        self.edge_v = np.ascontiguousarray(edge_v, dtype=np.int32)
        self.edge_length = np.maximum(
            np.ascontiguousarray(edge_length, dtype=np.float64), MIN_EDGE_LENGTH_M
        )
        m = len(self.edge_u)
        self.edge_bridge = (
            np.zeros(m, dtype=bool)
            if edge_bridge is None
            else np.ascontiguousarray(edge_bridge, dtype=bool)
        )
        self.crs = crs
        self.meta: dict[str, Any] = dict(meta or {})
        n = len(self.lon)
        if not (len(self.lat) == len(self.x) == len(self.y) == n):
            raise ValueError("node arrays differ in length")
        if not (len(self.edge_v) == len(self.edge_length) == len(self.edge_bridge) == m):
            raise ValueError("edge arrays differ in length")
        if m and (
            min(self.edge_u.min(), self.edge_v.min()) < 0
            or max(self.edge_u.max(), self.edge_v.max()) >= n
        ):
            raise ValueError("edge refers to a node that does not exist")
        if not np.all(np.isfinite(self.edge_length)):
            raise ValueError("edge lengths must be finite")

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        lon: ArrayLike,
        lat: ArrayLike,
        edge_u: ArrayLike,
        edge_v: ArrayLike,
        *,
        edge_length: ArrayLike | None = None,
        edge_bridge: ArrayLike | None = None,
        crs: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> WalkNetwork:
        """Nodes in lon/lat and edges as index pairs; lengths default to the projected ones."""
        lon_a = np.asarray(lon, dtype=np.float64)
        lat_a = np.asarray(lat, dtype=np.float64)
        if crs is None:
            crs = local_crs(
                float((lon_a.min() + lon_a.max()) / 2), float((lat_a.min() + lat_a.max()) / 2)
            )
        fwd, _ = transformers(crs)
        x, y = fwd.transform(lon_a, lat_a)
        u = np.asarray(edge_u, dtype=np.int64)
        v = np.asarray(edge_v, dtype=np.int64)
        if edge_length is None:
            edge_length = np.hypot(x[u] - x[v], y[u] - y[v])
        return cls(
            lon_a, lat_a, x, y, u, v, edge_length, crs=crs, edge_bridge=edge_bridge, meta=meta
        )

    # -- sizes and graph ----------------------------------------------------------------------

    @property
    def n_nodes(self) -> int:
        return len(self.lon)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    def __repr__(self) -> str:
        return f"<WalkNetwork {self.n_nodes} nodes, {self.n_edges} edges>"

    @cached_property
    def graph(self) -> sp.csr_matrix:
        """Symmetric CSR adjacency; of parallel edges the shortest wins (a sum would be wrong)."""
        return symmetric_csr(self.n_nodes, self.edge_u, self.edge_v, self.edge_length)

    @cached_property
    def _proj(self) -> tuple[Transformer, Transformer]:
        return transformers(self.crs)

    def project(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        x, y = self._proj[0].transform(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def unproject(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], ...]:
        lon, lat = self._proj[1].transform(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def component_labels(self) -> NDArray[np.int32]:
        _, labels = csgraph.connected_components(self.graph, directed=False)
        return np.asarray(labels, dtype=np.int32)

    def total_length_m(self) -> float:
        return float(self.edge_length.sum())

    def restrict(self, node_mask: ArrayLike) -> WalkNetwork:
        """The sub-network on the kept nodes (edges need both ends kept), renumbered."""
        keep = np.asarray(node_mask, dtype=bool)
        new_index = np.full(self.n_nodes, -1, dtype=np.int64)
        new_index[keep] = np.arange(int(keep.sum()))
        e = keep[self.edge_u] & keep[self.edge_v]
        return WalkNetwork(
            self.lon[keep],
            self.lat[keep],
            self.x[keep],
            self.y[keep],
            new_index[self.edge_u[e]],
            new_index[self.edge_v[e]],
            self.edge_length[e],
            crs=self.crs,
            edge_bridge=self.edge_bridge[e],
            meta=self.meta,
        )

    def largest_component(self) -> WalkNetwork:
        labels = self.component_labels()
        return self.restrict(labels == np.bincount(labels).argmax())

    # -- output -------------------------------------------------------------------------------

    def edges_geojson(
        self,
        edges: ArrayLike | None = None,
        properties: Mapping[str, ArrayLike] | None = None,
    ) -> dict[str, Any]:
        """A FeatureCollection of edges, for drawing the network on a map."""
        idx = np.arange(self.n_edges) if edges is None else np.asarray(edges, dtype=np.int64)
        props = {k: np.asarray(v) for k, v in (properties or {}).items()}
        u, v = self.edge_u[idx], self.edge_v[idx]
        features = []
        for row, e in enumerate(idx.tolist()):
            p: dict[str, Any] = {"edge": e, "length_m": round(float(self.edge_length[e]), 2)}
            for k, arr in props.items():
                p[k] = arr[row].item()
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            [round(float(self.lon[u[row]]), 7), round(float(self.lat[u[row]]), 7)],
                            [round(float(self.lon[v[row]]), 7), round(float(self.lat[v[row]]), 7)],
                        ],
                    },
                    "properties": p,
                }
            )
        return {"type": "FeatureCollection", "features": features}

    # -- caching ------------------------------------------------------------------------------

    def to_npz(self, path: str | Path) -> None:
        """Write atomically, so a failed write never replaces a good cached network."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            format=np.array(NPZ_FORMAT),
            lon=self.lon,
            lat=self.lat,
            x=self.x,
            y=self.y,
            edge_u=self.edge_u,
            edge_v=self.edge_v,
            edge_length=self.edge_length,
            edge_bridge=self.edge_bridge,
            crs=np.array(self.crs),
            meta=np.array(json.dumps(self.meta, ensure_ascii=False, default=str)),
        )
        tmp.replace(path)

    @classmethod
    def from_npz(cls, path: str | Path) -> WalkNetwork:
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["format"]) != NPZ_FORMAT:
                    raise NetworkImportError(f"{path}: not a cached walking network")
                return cls(
                    z["lon"],
                    z["lat"],
                    z["x"],
                    z["y"],
                    z["edge_u"],
                    z["edge_v"],
                    z["edge_length"],
                    crs=str(z["crs"]),
                    edge_bridge=z["edge_bridge"],
                    meta=json.loads(str(z["meta"])),
                )
        except NetworkImportError:
            raise
        except (OSError, KeyError, ValueError) as exc:
            raise NetworkImportError(f"{path}: cannot read cached walking network: {exc}") from exc


def symmetric_csr(
    n: int, u: NDArray[np.integer], v: NDArray[np.integer], w: NDArray[np.floating]
) -> sp.csr_matrix:
    rows = np.concatenate([u, v]).astype(np.int64)
    cols = np.concatenate([v, u]).astype(np.int64)
    data = np.concatenate([w, w]).astype(np.float64)
    keep = rows != cols
    return min_csr(n, n, rows[keep], cols[keep], data[keep])


def min_csr(
    n_rows: int,
    n_cols: int,
    rows: NDArray[np.integer],
    cols: NDArray[np.integer],
    data: NDArray[np.floating],
) -> sp.csr_matrix:
    """A CSR matrix keeping the minimum of duplicate entries (scipy would add them up)."""
    order = np.lexsort((data, cols, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    if len(rows):
        first = np.empty(len(rows), dtype=bool)
        first[0] = True
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, data = rows[first], cols[first], data[first]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    index_dtype = np.int32 if max(n_rows, n_cols, len(cols)) < 2**31 - 1 else np.int64
    return sp.csr_matrix(
        (data, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n_rows, n_cols)
    )


# -- building from lines --------------------------------------------------------------------


@dataclass
class Line:
    """One source polyline. ``keys`` identify vertices shared between lines (OSM node ids);
    without them, vertices with the same rounded coordinates are the same junction."""

    coords: NDArray[np.float64]  # (k, 2) lon, lat
    bridge: bool = False
    keys: NDArray[np.int64] | None = None


def as_geometry(obj: Any, what: str) -> shapely.Geometry:
    """Accept a shapely geometry, a GeoJSON mapping (geometry, Feature, FeatureCollection)."""
    if isinstance(obj, shapely.Geometry):
        return obj
    if isinstance(obj, Mapping):
        kind = obj.get("type")
        try:
            if kind == "FeatureCollection":
                parts = [as_geometry(f, what) for f in obj.get("features", [])]
                return shapely.union_all(parts) if parts else shapely.GeometryCollection()
            if kind == "Feature":
                return as_geometry(obj.get("geometry"), what)
            return shapely.geometry.shape(obj)
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as e:
            raise NetworkImportError(f"invalid {what}: {e}") from e
    raise NetworkImportError(f"invalid {what}: expected a geometry, got {type(obj).__name__}")


def as_barriers(barriers: Any) -> list[shapely.Geometry]:
    if barriers is None:
        return []
    if isinstance(barriers, shapely.Geometry | Mapping):
        return [as_geometry(barriers, "barrier")]
    return [as_geometry(b, "barrier") for b in barriers]


def build_network(
    lines: Iterable[Line],
    *,
    clip_polygon: Any = None,
    barriers: Any = None,
    crs: str | None = None,
    min_component_nodes: int = 20,
    meta: Mapping[str, Any] | None = None,
) -> WalkNetwork:
    """Turn polylines into a network: junctions shared, barriers cut, clipped, de-duplicated.

    ``clip_polygon`` is the boundary in lon/lat; the network keeps everything within
    :data:`CLIP_BUFFER_M` of it. ``barriers`` are lines (rivers, rail) that cut every edge
    crossing them except bridges. Components smaller than ``min_component_nodes`` (or than the
    largest component, if that is smaller) are dropped: a home snapped to a stray fragment of
    footway would otherwise reach nothing.
    """
    coords_parts: list[NDArray[np.float64]] = []
    key_parts: list[NDArray[np.int64]] = []
    seg_parts: list[NDArray[np.int64]] = []
    bridge_parts: list[NDArray[np.bool_]] = []
    have_keys: bool | None = None
    offset = 0
    for line in lines:
        c = np.asarray(line.coords, dtype=np.float64).reshape(-1, 2)
        if len(c) < 2:
            continue
        if have_keys is None:
            have_keys = line.keys is not None
        elif have_keys != (line.keys is not None):
            raise ValueError("either every line has vertex keys or none has")
        coords_parts.append(c)
        if line.keys is not None:
            key_parts.append(np.asarray(line.keys, dtype=np.int64))
        k = len(c)
        seg_parts.append(offset + np.arange(k - 1, dtype=np.int64))
        bridge_parts.append(np.full(k - 1, bool(line.bridge)))
        offset += k
    if not coords_parts:
        raise NetworkImportError("no walkable lines in the source")
    coords = np.concatenate(coords_parts)
    if (
        not np.all(np.isfinite(coords))
        or np.abs(coords[:, 0]).max() > 180
        or (np.abs(coords[:, 1]).max() > 90)
    ):
        raise NetworkImportError("coordinates must be finite lon/lat in degrees (WGS84)")
    seg_a = np.concatenate(seg_parts)
    seg_b = seg_a + 1
    bridge = np.concatenate(bridge_parts)

    if have_keys:
        vkeys = np.concatenate(key_parts)
        _, vertex_node = np.unique(vkeys, return_inverse=True)
    else:
        rounded = np.round(coords * 10**COORD_DECIMALS).astype(np.int64)
        _, vertex_node = np.unique(rounded, axis=0, return_inverse=True)
    vertex_node = vertex_node.reshape(-1)
    n_nodes = int(vertex_node.max()) + 1
    node_lonlat = np.empty((n_nodes, 2))
    node_lonlat[vertex_node] = coords

    clip_geom = None
    if clip_polygon is not None:
        clip_geom = as_geometry(clip_polygon, "clip polygon")
        if clip_geom.is_empty or clip_geom.area == 0:
            raise NetworkImportError("clip polygon is empty")
    if crs is None:
        if clip_geom is not None:
            c = clip_geom.centroid
            crs = local_crs(c.x, c.y)
        else:
            lo, hi = node_lonlat.min(axis=0), node_lonlat.max(axis=0)
            crs = local_crs(float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2)
    fwd, _ = transformers(crs)
    nx_, ny_ = fwd.transform(node_lonlat[:, 0], node_lonlat[:, 1])
    node_xy = np.column_stack([nx_, ny_])

    u = vertex_node[seg_a]
    v = vertex_node[seg_b]
    keep = u != v

    barrier_geoms = as_barriers(barriers)
    if barrier_geoms and keep.any():
        metric = [
            shapely.transform(g, lambda a: np.column_stack(fwd.transform(a[:, 0], a[:, 1])))
            for g in barrier_geoms
        ]
        cand = np.flatnonzero(keep & ~bridge)
        segs = shapely.linestrings(np.stack([node_xy[u[cand]], node_xy[v[cand]]], axis=1))
        tree = shapely.STRtree(segs)
        hit = np.unique(tree.query(metric, predicate="intersects")[1])
        keep[cand[hit]] = False

    if clip_geom is not None:
        metric_clip = shapely.transform(
            clip_geom, lambda a: np.column_stack(fwd.transform(a[:, 0], a[:, 1]))
        ).buffer(CLIP_BUFFER_M)
        shapely.prepare(metric_clip)
        inside = shapely.contains_xy(metric_clip, node_xy[:, 0], node_xy[:, 1])
        keep &= inside[u] | inside[v]

    u, v, bridge = u[keep], v[keep], bridge[keep]
    # The same segment from two overlapping ways is one edge; it is a bridge if either says so.
    lo_, hi_ = np.minimum(u, v), np.maximum(u, v)
    pair = lo_ * n_nodes + hi_
    order = np.lexsort((~bridge, pair))
    pair, lo_, hi_, bridge = pair[order], lo_[order], hi_[order], bridge[order]
    if len(pair):
        first = np.r_[True, pair[1:] != pair[:-1]]
        lo_, hi_, bridge = lo_[first], hi_[first], bridge[first]
    if len(lo_) == 0:
        raise NetworkImportError("no walkable edges left inside the area")

    length = np.hypot(*(node_xy[lo_] - node_xy[hi_]).T)
    adj = symmetric_csr(n_nodes, lo_, hi_, length)
    used = np.zeros(n_nodes, dtype=bool)
    used[lo_] = used[hi_] = True
    _, labels = csgraph.connected_components(adj, directed=False)
    sizes = np.bincount(labels[used], minlength=labels.max() + 1)
    big = sizes >= min(min_component_nodes, int(sizes.max()))
    node_keep = used & big[labels]
    edge_keep = node_keep[lo_]
    lo_, hi_, bridge, length = lo_[edge_keep], hi_[edge_keep], bridge[edge_keep], length[edge_keep]

    new_index = np.full(n_nodes, -1, dtype=np.int64)
    new_index[node_keep] = np.arange(int(node_keep.sum()))
    out_meta = dict(meta or {})
    out_meta.setdefault("dropped_fragment_nodes", int((used & ~node_keep).sum()))
    return WalkNetwork(
        node_lonlat[node_keep, 0],
        node_lonlat[node_keep, 1],
        node_xy[node_keep, 0],
        node_xy[node_keep, 1],
        new_index[lo_],
        new_index[hi_],
        length,
        crs=crs,
        edge_bridge=bridge,
        meta=out_meta,
    )


def line_from_coords(coords: Sequence[Sequence[float]], bridge: bool = False) -> Line:
    return Line(np.asarray(coords, dtype=np.float64)[:, :2], bridge=bridge)
