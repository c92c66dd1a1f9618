"""A tiny sub-district with known answers: one straight street, three quarters, two facilities.

The street runs west-east from x=0 to x=1000 m (nodes every 100 m) around the demo centre.
Quarter gates lie on the street, so every walking distance is a plain difference of x:

- Q1 at x=100: 100 residents (40 over 60)
- Q2 at x=900: 300 residents (100 over 60)
- Q3 with gates at x=450 and x=550: 200 residents (60 over 60), 100 (30) per gate

A kindergarten at x=200 reaches Q1 (100 m) and Q3's west gate (250 m) within 300 m: coverage
(100 + 100) / 600 = 1/3. An elderly day care at x=800 (20 places) reaches Q2 (100 m) within the
elderly's 240 m (300 m at 0.8 m/s): coverage of residents over 60 = 100 / 200 = 1/2.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import numpy as np
from django_scopes import scopes_disabled

from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.lifecircle import services
from linli.lifecircle.engine.network import WalkNetwork, local_crs, transformers
from linli.lifecircle.models import WalkNetworkVersion
from linli.registry.models import Facility
from tests.factories import FacilityFactory, QuarterFactory

CENTRE = (121.459, 31.237)
CRS = local_crs(*CENTRE)


def lonlat(x: float, y: float = 0.0) -> list[float]:
    lon, lat = transformers(CRS)[1].transform(float(x), float(y))
    return [float(lon), float(lat)]


def ring(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [lonlat(x0, y0), lonlat(x1, y0), lonlat(x1, y1), lonlat(x0, y1), lonlat(x0, y0)]


BOUNDARY = {"type": "Polygon", "coordinates": [ring(-50, -150, 1050, 150)]}


def street_network() -> WalkNetwork:
    xs = np.arange(0, 1001, 100.0)
    lon, lat = transformers(CRS)[1].transform(xs, np.zeros_like(xs))
    edges = np.array([(i, i + 1) for i in range(len(xs) - 1)])
    return WalkNetwork.from_arrays(lon, lat, edges[:, 0], edges[:, 1], crs=CRS)


def build_street(subdistrict: Subdistrict, tag: str = "") -> dict:
    """Boundary, quarters, facilities and the street network (current) in ``subdistrict``."""
    with scopes_disabled():
        Subdistrict.objects.filter(pk=subdistrict.pk).update(boundary=BOUNDARY)
        subdistrict.boundary = BOUNDARY
        q1 = QuarterFactory(
            subdistrict=subdistrict,
            code=f"LC1{tag}",
            name=f"West Lane{tag}",
            entrances=[lonlat(100)],
            polygon={"type": "Polygon", "coordinates": [ring(60, 10, 140, 90)]},
            population=100,
            over_60=40,
        )
        q2 = QuarterFactory(
            subdistrict=subdistrict,
            code=f"LC2{tag}",
            name=f"East Court{tag}",
            entrances=[lonlat(900)],
            polygon={"type": "Polygon", "coordinates": [ring(860, 10, 940, 90)]},
            population=300,
            over_60=100,
        )
        q3 = QuarterFactory(
            subdistrict=subdistrict,
            code=f"LC3{tag}",
            name=f"Middle Yard{tag}",
            entrances=[lonlat(450), lonlat(550)],
            polygon={"type": "Polygon", "coordinates": [ring(440, -90, 560, -10)]},
            population=200,
            over_60=60,
        )
        kindergarten = FacilityFactory(
            subdistrict=subdistrict,
            code=f"LCK{tag}",
            name=f"Little Stars{tag}",
            category=Facility.Category.KINDERGARTEN,
            entrances=[lonlat(200)],
            capacity=90,
        )
        day_care = FacilityFactory(
            subdistrict=subdistrict,
            code=f"LCD{tag}",
            name=f"Sunshine Day Care{tag}",
            category=Facility.Category.ELDERLY_DAY_CARE,
            entrances=[lonlat(800)],
            capacity=20,
        )
        version = services.store_network(
            subdistrict,
            street_network(),
            source=WalkNetworkVersion.Source.GEOJSON,
            file_name="street.geojson",
            actor=Access.system(subdistrict),
        )
    return {
        "quarters": [q1, q2, q3],
        "kindergarten": kindergarten,
        "day_care": day_care,
        "version": version,
    }


# A creek along y=100 between two bank streets; the only walkable crossing is the footbridge at
# x=600. The motorway bridge at x=300 is not for pedestrians.
NODES = {
    1: (0, 0),
    2: (300, 0),
    3: (600, 0),
    4: (0, 200),
    5: (300, 200),
    6: (600, 200),
    7: (600, 100),
    20: (-100, 100),
    21: (700, 100),
    # A building, a park and the creek's water area, for the base map.
    40: (100, 20),
    41: (140, 20),
    42: (140, 50),
    43: (100, 50),
    50: (350, 20),
    51: (450, 20),
    52: (450, 80),
    53: (350, 80),
    60: (-100, 90),
    61: (700, 90),
    62: (700, 110),
    63: (-100, 110),
}
WAYS = [
    (100, [1, 2, 3], {"highway": "residential", "name": "South Bank Road"}),
    (101, [4, 5, 6], {"highway": "residential", "name": "North Bank Road"}),
    (102, [3, 7, 6], {"highway": "footway", "bridge": "yes"}),
    (103, [2, 5], {"highway": "motorway", "bridge": "yes"}),
    (106, [20, 21], {"waterway": "river", "name": "Suzhou Creek"}),
    (110, [40, 41, 42, 43, 40], {"building": "office", "name": "Creek Tower"}),
    (111, [50, 51, 52, 53, 50], {"leisure": "park", "name": "Bank Garden"}),
    (112, [60, 61, 62, 63, 60], {"natural": "water", "name": "Suzhou Creek"}),
]
CREEK_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [lonlat(-50, -50), lonlat(650, -50), lonlat(650, 250), lonlat(-50, 250), lonlat(-50, -50)]
    ],
}


def osm_xml() -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for node_id, (x, y) in NODES.items():
        lon, lat = lonlat(x, y)
        out.append(f' <node id="{node_id}" version="1" lat="{lat:.9f}" lon="{lon:.9f}"/>')
    for way_id, refs, tags in WAYS:
        out.append(f' <way id="{way_id}" version="1">')
        out.extend(f'  <nd ref="{r}"/>' for r in refs)
        out.extend(f"  <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        out.append(" </way>")
    out.append("</osm>")
    return ("\n".join(out) + "\n").encode()
