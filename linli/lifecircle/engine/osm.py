"""Read a walking network from an OpenStreetMap extract (.osm.pbf or .osm XML) with pyosmium.

Water needs no special handling: no walkable way crosses Suzhou Creek except on a bridge, so the
network only connects the banks there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import osmium

from .network import Line, NetworkImportError, WalkNetwork, build_network
from .unpacked import check_unpacked
from .walkable import is_bridge, is_walkable

_SUFFIX_FORMATS = {
    ".pbf": "pbf",
    ".osm": "osm",
    ".xml": "osm",
    ".gz": None,  # compressed XML: osmium reads the inner suffix (.osm.gz) itself
    ".bz2": None,
}


def _format(path: Path) -> str:
    """``pbf`` or ``osm`` (XML), or ``gz``/``bz2`` for compressed XML."""
    suffix = path.suffix.lower()
    fmt = _SUFFIX_FORMATS.get(suffix, "sniff")
    if fmt is None:
        return suffix[1:]
    if fmt == "sniff":
        # Uploaded files often lose their suffix; XML starts with '<', PBF with a length prefix.
        with path.open("rb") as f:
            head = f.read(64).lstrip()
        fmt = "osm" if head.startswith(b"<") else "pbf"
    return fmt


def _osmium_file(path: Path, fmt: str) -> osmium.io.File | str:
    if fmt in ("gz", "bz2"):
        return str(path)  # osmium reads the inner suffix (.osm.gz) itself
    return osmium.io.File(str(path), fmt)


def read_osm(
    path: str | Path,
    clip_polygon: Any = None,
    *,
    barriers: Any = None,
    min_component_nodes: int = 20,
    max_unpacked_bytes: int | None = None,
) -> WalkNetwork:
    """Walkable ways of an OSM extract as a :class:`WalkNetwork`.

    ``clip_polygon`` (lon/lat, shapely or GeoJSON) keeps the network within 1 km of it.
    ``max_unpacked_bytes`` refuses a compressed file (.osm.pbf, .osm.gz, .osm.bz2) that would
    unpack to more, with :class:`UnpackedTooLarge`, before libosmium reads any of it.
    Raises :class:`NetworkImportError` for anything that is not a readable OSM file with
    walkable ways; it never returns part of a file.
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkImportError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise NetworkImportError(f"{path}: the file is empty")
    lines: list[Line] = []
    n_ways = 0
    try:
        fmt = _format(path)
        if max_unpacked_bytes is not None:
            check_unpacked(path, fmt, max_unpacked_bytes)
        source = _osmium_file(path, fmt)
        processor = osmium.FileProcessor(source, osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for obj in processor:
            if not isinstance(obj, osmium.osm.Way):
                continue
            n_ways += 1
            if "highway" not in obj.tags:
                continue
            tags = {t.k: t.v for t in obj.tags}
            if not is_walkable(tags):
                continue
            bridge = is_bridge(tags)
            refs: list[int] = []
            coords: list[tuple[float, float]] = []
            # A way may reference nodes cut off by the extract; keep the pieces that have them.
            for nd in obj.nodes:
                loc = nd.location
                if loc.valid():
                    refs.append(nd.ref)
                    coords.append((loc.lon, loc.lat))
                    continue
                if len(refs) >= 2:
                    lines.append(_line(coords, refs, bridge))
                refs, coords = [], []
            if len(refs) >= 2:
                lines.append(_line(coords, refs, bridge))
    except NetworkImportError:
        raise
    except (RuntimeError, ValueError, OSError, KeyError) as exc:
        raise NetworkImportError(f"{path}: not a readable OpenStreetMap file ({exc})") from exc
    if not lines:
        detail = "no ways at all" if n_ways == 0 else f"none of its {n_ways} ways is walkable"
        raise NetworkImportError(f"{path}: no walkable ways in the OpenStreetMap file ({detail})")
    return build_network(
        lines,
        clip_polygon=clip_polygon,
        barriers=barriers,
        min_component_nodes=min_component_nodes,
        meta={"source": "osm", "file": path.name, "ways_read": n_ways, "lines": len(lines)},
    )


def _line(coords: list[tuple[float, float]], refs: list[int], bridge: bool) -> Line:
    return Line(
        np.asarray(coords, dtype=np.float64),
        bridge=bridge,
        keys=np.asarray(refs, dtype=np.int64),
    )
