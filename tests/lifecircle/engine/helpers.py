"""Helpers for engine tests: networks laid out in local metres around the demo centre."""

from __future__ import annotations

import numpy as np

from linli.lifecircle.engine.network import WalkNetwork, local_crs, transformers

CRS = local_crs(121.459, 31.237)


def to_lonlat(x, y):
    lon, lat = transformers(CRS)[1].transform(np.asarray(x, float), np.asarray(y, float))
    return np.atleast_1d(lon), np.atleast_1d(lat)


def metric_network(xy, edges, lengths=None) -> WalkNetwork:
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    lon, lat = to_lonlat(xy[:, 0], xy[:, 1])
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    return WalkNetwork.from_arrays(lon, lat, e[:, 0], e[:, 1], edge_length=lengths, crs=CRS)
