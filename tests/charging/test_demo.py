"""The charging demo: the two categories and about 30 charging points with their ports."""

from __future__ import annotations

import pytest
from django_scopes import scope

from linli.cases.models import Category
from linli.governance.charging import demo
from linli.registry.models import Facility
from tests.factories import QuarterFactory, SubdistrictFactory
from tests.patrols.test_demo import Context, Home

pytestmark = pytest.mark.django_db


def test_charging_points_and_categories():
    sub = SubdistrictFactory(code="310106913")
    for i in range(4):
        QuarterFactory(subdistrict=sub, entrances=[[121.451 + i / 100, 31.235]])
    with scope(subdistrict=sub):
        demo.load(Context(sub, Home()))
        points = list(Facility.objects.filter(category=Facility.Category.CHARGING_POINT))
        codes = set(Category.objects.values_list("code", flat=True))
    assert len(points) == demo.POINTS
    assert all(6 <= p.capacity <= 20 and p.capacity_unit for p in points)
    assert {"EBIKE-WIRE", "EBIKE-INDOOR"} <= codes
