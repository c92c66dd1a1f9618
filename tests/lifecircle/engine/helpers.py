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


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, value: int | bytes) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def pbf_declaring(raw_sizes: list[int]) -> bytes:
    """An .osm.pbf of zlib blocks that each declare ``raw_size`` but hold only a few bytes: the
    framing of a decompression bomb, without the bomb."""
    import struct
    import zlib

    blocks = []
    for n, raw_size in enumerate(raw_sizes):
        blob = _field(2, raw_size) + _field(3, zlib.compress(b"\x00" * 64))
        header = _field(1, b"OSMHeader" if n == 0 else b"OSMData") + _field(3, len(blob))
        blocks.append(struct.pack(">I", len(header)) + header + blob)
    return b"".join(blocks)
