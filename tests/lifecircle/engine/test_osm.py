"""Reading OpenStreetMap extracts: walkable ways only, the river crossed only at its bridge."""

from __future__ import annotations

import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import osmium
import pytest
import shapely

from linli.lifecircle.engine import (
    Accessibility,
    Facilities,
    FacilityStandard,
    Homes,
    NetworkImportError,
    UnpackedTooLarge,
    read_osm,
)

from .helpers import pbf_declaring, to_lonlat

# Node id -> position in metres around the demo centre. The river runs west-east at y=100.
NODES = {
    1: (0, 0),  # south bank street
    2: (300, 0),
    3: (600, 0),
    4: (0, 200),  # north bank street
    5: (300, 200),
    6: (600, 200),
    7: (600, 100),  # middle of the footbridge
    20: (-100, 100),  # river
    21: (700, 100),
    30: (150, 0),
    31: (150, 200),
}
WAYS = [
    (100, [1, 2, 3], {"highway": "residential", "name": "South Bank Road"}),
    (101, [4, 5, 6], {"highway": "residential", "name": "North Bank Road"}),
    (102, [3, 7, 6], {"highway": "footway", "bridge": "yes"}),
    # Crossings a pedestrian may not use.
    (103, [2, 5], {"highway": "motorway", "bridge": "yes"}),
    (104, [1, 4], {"highway": "footway", "bridge": "yes", "foot": "no"}),
    (105, [30, 31], {"highway": "service", "bridge": "yes", "access": "private"}),
    (106, [20, 21], {"waterway": "river", "name": "Suzhou Creek"}),
    (107, [2, 30, 5], {"highway": "trunk", "bridge": "yes"}),
]


def osm_xml(nodes=NODES, ways=WAYS) -> str:
    ids = list(nodes)
    lon, lat = to_lonlat([nodes[i][0] for i in ids], [nodes[i][1] for i in ids])
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for i, lo, la in zip(ids, lon, lat, strict=True):
        out.append(f' <node id="{i}" version="1" lat="{la:.9f}" lon="{lo:.9f}"/>')
    for wid, refs, tags in ways:
        out.append(f' <way id="{wid}" version="1">')
        out.extend(f'  <nd ref="{r}"/>' for r in refs)
        out.extend(f"  <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        out.append(" </way>")
    out.append("</osm>")
    return "\n".join(out) + "\n"


@pytest.fixture
def osm_file(tmp_path):
    path = tmp_path / "river.osm"
    path.write_text(osm_xml(), encoding="utf-8")
    return path


def test_only_walkable_ways_are_read(osm_file):
    net = read_osm(osm_file)
    # Two bank streets (3 + 3 nodes) and the footbridge's middle node.
    assert net.n_nodes == 7
    assert net.n_edges == 6
    assert net.edge_bridge.sum() == 2
    assert net.meta["source"] == "osm"


def test_river_is_crossed_only_at_its_bridge(osm_file):
    net = read_osm(osm_file)
    home_lon, home_lat = to_lonlat(0, -10)  # south bank, 10 m off the street
    fac_lon, fac_lat = to_lonlat(0, 210)  # straight across the river, 220 m away
    standard = FacilityStandard("park", "公园", "Park", 10, 5000.0, "test")
    acc = Accessibility(
        net,
        Homes.from_arrays(home_lon, home_lat, [1]),
        Facilities.from_points(["park"], fac_lon, fac_lat),
        [standard],
    )
    x, y = net.project(*to_lonlat([0, 600, 600, 600, 0], [0, 0, 100, 200, 200]))
    via_bridge = float(np.hypot(np.diff(x), np.diff(y)).sum())
    got = acc.nearest(["park"])["park"][0]
    # OSM stores degrees to 7 decimals (about 1 cm), hence the tolerance.
    assert math.isclose(got, 10 + via_bridge + 10, abs_tol=0.05)
    assert got > 1400  # not the 220 m straight across


def test_pbf_reads_the_same_network(osm_file, tmp_path):
    pbf = tmp_path / "river.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))
    for obj in osmium.FileProcessor(str(osm_file)):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
    writer.close()
    a, b = read_osm(osm_file), read_osm(pbf)
    assert (a.n_nodes, a.n_edges) == (b.n_nodes, b.n_edges)
    assert np.allclose(np.sort(a.edge_length), np.sort(b.edge_length), atol=0.05)


def test_clip_keeps_one_kilometre_around_the_boundary(tmp_path):
    # A street running 4 km east; the boundary covers only its first 600 m. Edges with an end
    # within 1 km of it stay whole.
    nodes = {i + 1: (i * 250.0, 0.0) for i in range(17)}
    ways = [(1, list(nodes), {"highway": "footway"})]
    path = tmp_path / "long.osm"
    path.write_text(osm_xml(nodes, ways), encoding="utf-8")
    lon, lat = to_lonlat([-50, 600, 600, -50], [-50, -50, 50, 50])
    boundary = shapely.Polygon(zip(lon, lat, strict=True))
    net = read_osm(path, clip_polygon=boundary, min_component_nodes=1)
    # Up to the end of the edge from x=1500 to x=1750.
    assert net.x.max() - net.x.min() == pytest.approx(1750.0, abs=1.0)
    far_lon, far_lat = to_lonlat([9000, 9500, 9500, 9000], [9000, 9000, 9500, 9500])
    with pytest.raises(NetworkImportError, match="no walkable edges"):
        read_osm(path, clip_polygon=shapely.Polygon(zip(far_lon, far_lat, strict=True)))


def test_way_with_nodes_missing_from_the_extract(tmp_path):
    nodes = {1: (0, 0), 2: (100, 0), 3: (200, 0)}
    ways = [(1, [1, 2, 99, 3], {"highway": "path"})]
    path = tmp_path / "cut.osm"
    path.write_text(osm_xml(nodes, ways), encoding="utf-8")
    net = read_osm(path, min_component_nodes=1)
    assert net.n_edges == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.osm", b"", "empty"),
        ("notes.osm", b"this is not xml", "not a readable OpenStreetMap file"),
        ("page.osm", b"<html><body/></html>", "not a readable OpenStreetMap file"),
        ("junk.osm.pbf", b"\x00\x01\x02 not a pbf", "not a readable OpenStreetMap file"),
        ("nodes.osm", b'<osm version="0.6"><node id="1" lat="31" lon="121"/></osm>', "no ways"),
        (
            "river.osm",
            osm_xml(ways=[w for w in WAYS if w[0] in (103, 104, 106)]).encode(),
            "none of its 3 ways is walkable",
        ),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NetworkImportError, match=message):
        read_osm(path)


def test_truncated_files_raise_instead_of_a_partial_network(osm_file, tmp_path):
    text = osm_file.read_bytes()
    cut = tmp_path / "cut.osm"
    cut.write_bytes(text[: len(text) * 2 // 3])
    with pytest.raises(NetworkImportError, match="not a readable"):
        read_osm(cut)
    pbf = tmp_path / "full.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))
    for obj in osmium.FileProcessor(str(osm_file)):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
    writer.close()
    data = pbf.read_bytes()
    cut_pbf = tmp_path / "cut.osm.pbf"
    cut_pbf.write_bytes(data[: len(data) // 2])
    with pytest.raises(NetworkImportError, match="not a readable"):
        read_osm(cut_pbf)


def test_missing_file(tmp_path):
    with pytest.raises(NetworkImportError, match="no such file"):
        read_osm(tmp_path / "nowhere.osm.pbf")


def _pbf_of(osm_file, path):
    writer = osmium.SimpleWriter(str(path))
    for obj in osmium.FileProcessor(str(osm_file)):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
    writer.close()
    return path


def test_a_pbf_is_refused_from_its_declared_sizes_before_it_is_read(osm_file, tmp_path):
    pbf = _pbf_of(osm_file, tmp_path / "river.osm.pbf")
    # libosmium's own blocks: what they declare is what they unpack to.
    declared = sum(_declared_sizes(pbf.read_bytes()))
    assert declared > pbf.stat().st_size // 2
    assert read_osm(pbf, max_unpacked_bytes=declared).n_edges == 6
    with pytest.raises(UnpackedTooLarge) as refused:
        read_osm(pbf, max_unpacked_bytes=declared - 1)
    assert refused.value.limit == declared - 1

    # 40 blocks of 32 MiB declared in under 4 KB: refused without decompressing a byte.
    bomb = tmp_path / "bomb.osm.pbf"
    bomb.write_bytes(pbf_declaring([32 * 1024 * 1024] * 40))
    assert bomb.stat().st_size < 4096
    with pytest.raises(UnpackedTooLarge, match="unpacks to more than"):
        read_osm(bomb, max_unpacked_bytes=1024 * 1024 * 1024)


def _declared_sizes(data: bytes) -> list[int]:
    from linli.lifecircle.engine.unpacked import _fields

    sizes, pos = [], 0
    while pos < len(data):
        header_size = int.from_bytes(data[pos : pos + 4], "big")
        pos += 4
        datasize = _fields(data[pos : pos + header_size], Path("x"))[3]
        pos += header_size
        sizes.append(_fields(data[pos : pos + datasize], Path("x"))[2])
        pos += datasize
    return sizes


@pytest.mark.parametrize("fmt", ["gz", "bz2"])
def test_compressed_xml_is_counted_as_it_unpacks(osm_file, tmp_path, fmt):
    import bz2
    import gzip

    text = osm_file.read_bytes()
    path = tmp_path / f"river.osm.{fmt}"
    path.write_bytes(gzip.compress(text) if fmt == "gz" else bz2.compress(text))
    assert read_osm(path, max_unpacked_bytes=len(text)).n_edges == 6
    with pytest.raises(UnpackedTooLarge):
        read_osm(path, max_unpacked_bytes=len(text) - 1)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(NetworkImportError, match="not a readable"):
        read_osm(path, max_unpacked_bytes=len(text))


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x00",  # cut off in the length prefix
        b"\x00\x00\x00\x10\x0a\x07OSMData",  # cut off in a block header
        pbf_declaring([100])[:-3],  # cut off in a block
        b"\x00\x00\x00\x02\x0a\x00",  # a block header without a size
    ],
)
def test_a_damaged_pbf_frame_is_unreadable_not_a_crash(tmp_path, content):
    path = tmp_path / "damaged.osm.pbf"
    path.write_bytes(content)
    with pytest.raises(NetworkImportError, match="not a readable"):
        read_osm(path, max_unpacked_bytes=1024)
