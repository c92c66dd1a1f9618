"""Networks to and from the bytes stored in ``WalkNetworkVersion.data``, with a process cache.

A version's arrays never change once written, so a loaded network can be kept for as long as
the process lives. The cache key includes the SHA-256 of the bytes as well as the row id: ids
can be handed out again after a rollback (SQLite's sequence rolls back with the transaction),
and a stale network under a reused id would be silently wrong.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from linli.lifecircle.engine import WalkNetwork

# A sub-district's network is a few MB in memory; a handful covers every tenant a process serves
# in one burst without growing without bound in a city-wide deployment.
MAX_CACHED_NETWORKS = 8

_lock = threading.Lock()
_networks: OrderedDict[tuple[int, str], WalkNetwork] = OrderedDict()


def to_bytes(network: WalkNetwork) -> bytes:
    """The engine's .npz format, so a stored version can also be read with ``from_npz``."""
    with tempfile.TemporaryDirectory(prefix="linli-network-") as tmp:
        path = Path(tmp) / "network.npz"
        network.to_npz(path)
        return path.read_bytes()


def from_bytes(data: bytes) -> WalkNetwork:
    with tempfile.TemporaryDirectory(prefix="linli-network-") as tmp:
        path = Path(tmp) / "network.npz"
        path.write_bytes(data)
        return WalkNetwork.from_npz(path)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def summary(network: WalkNetwork) -> dict[str, Any]:
    """The figures a version row keeps, so lists never need to load the arrays."""
    return {
        "node_count": network.n_nodes,
        "edge_count": network.n_edges,
        "bridge_count": int(network.edge_bridge.sum()),
        "length_km": round(network.total_length_m() / 1000.0, 3),
        "bbox": [
            round(float(network.lon.min()), 6),
            round(float(network.lat.min()), 6),
            round(float(network.lon.max()), 6),
            round(float(network.lat.max()), 6),
        ],
    }


def load(version: Any) -> WalkNetwork:
    """The network of a ``WalkNetworkVersion``, read from the database once per process."""
    key = (int(version.pk), str(version.sha256))
    with _lock:
        cached = _networks.get(key)
        if cached is not None:
            _networks.move_to_end(key)
            return cached
    data = type(version).objects.filter(pk=version.pk).values_list("data", flat=True).get()
    network = from_bytes(bytes(data))
    with _lock:
        _networks[key] = network
        while len(_networks) > MAX_CACHED_NETWORKS:
            _networks.popitem(last=False)
    return network


def clear() -> None:
    with _lock:
        _networks.clear()
