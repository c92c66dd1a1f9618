"""A sub-district with a crafted walking network: a U of streets. West leg x=0 from y=0 to
y=250, the top y=250 from x=0 to x=200, east leg x=200 from y=250 down to y=0; nothing joins
the two legs' southern ends. A charging point stands at (0, 0)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.roles import Role
from linli.lifecircle import services as lifecircle
from linli.lifecircle.engine.network import WalkNetwork, transformers
from linli.lifecircle.models import WalkNetworkVersion
from linli.people import services as people
from linli.registry.models import Facility
from tests.factories import FacilityFactory, GridFactory, QuarterFactory
from tests.lifecircle.helpers import CRS, lonlat, ring

STEP = 25.0


def u_network() -> WalkNetwork:
    west = [(0.0, y) for y in np.arange(0, 250 + STEP, STEP)]
    top = [(x, 250.0) for x in np.arange(STEP, 200 + STEP, STEP)]
    east = [(200.0, y) for y in np.arange(250 - STEP, -STEP, -STEP)]
    points = west + top + east
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    lon, lat = transformers(CRS)[1].transform(xs, ys)
    edges = np.array([(i, i + 1) for i in range(len(points) - 1)])
    return WalkNetwork.from_arrays(lon, lat, edges[:, 0], edges[:, 1], crs=CRS)


@pytest.fixture
def town(subdistrict, make_user):
    boundary = {"type": "Polygon", "coordinates": [ring(-100, -100, 300, 350)]}
    with scopes_disabled():
        Subdistrict.objects.filter(pk=subdistrict.pk).update(boundary=boundary)
        subdistrict.boundary = boundary
    grid = GridFactory(subdistrict=subdistrict, name="Grid U")
    quarter = QuarterFactory(subdistrict=subdistrict, grid=grid, name="U Garden")
    system = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        buildings = {}
        for key, (x, y) in {
            "near": (0, 200),  # 200 m up the west leg
            "across": (200, 0),  # 200 m away in a straight line, 700 m on foot
            "top": (100, 250),  # 350 m on foot
        }.items():
            lon, lat = lonlat(x, y)
            buildings[key] = people.record_building(
                system,
                quarter=quarter,
                code=f"U-{key}",
                number=f"{key}号楼",
                floors=6,
                lon=lon,
                lat=lat,
            )
        FacilityFactory(
            subdistrict=subdistrict,
            code="CP-U1",
            name="Corner charging cabinet",
            category=Facility.Category.CHARGING_POINT,
            entrances=[lonlat(0, 0)],
            capacity=12,
            capacity_unit="ports",
        )
    return SimpleNamespace(
        subdistrict=subdistrict,
        buildings=buildings,
        admin=make_user(Role.SUBDISTRICT_ADMIN, subdistrict, username="admin"),
        worker=make_user(Role.GRID_WORKER, subdistrict, username="gw", grid=grid),
        leader=make_user(Role.LEADER, subdistrict, username="leader"),
    )


@pytest.fixture
def walkable(town):
    with scope(subdistrict=town.subdistrict):
        lifecircle.store_network(
            town.subdistrict,
            u_network(),
            source=WalkNetworkVersion.Source.GEOJSON,
            file_name="u.geojson",
            actor=Access.system(town.subdistrict),
        )
    return town
