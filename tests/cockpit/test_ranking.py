"""The ranking of all buildings: figures, sorting, the Excel export and the query budget."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from linli.cockpit.buildings import ranking
from linli.core.roles import Role
from tests.cockpit.conftest import make_case
from tests.factories import BuildingFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_figures_of_each_building(towers, leader):
    rows = {row.building.name: row for row in ranking(leader)}
    a, b = rows["Tower A"], rows["Tower B"]
    assert a.year == 2025
    assert (a.enterprises, a.by_status) == (3, {"active": 2, "moving_out": 1})
    assert a.tax == Decimal(12000) and a.previous_tax == Decimal(10000)
    assert a.growth == pytest.approx(0.2)
    assert a.hundred_million and a.hundred_million_years == [2024, 2025]
    # Only the free unit counts once units are recorded; B keeps its own figure.
    assert a.vacant_area == Decimal(800) and a.vacancy_rate == pytest.approx(0.02)
    assert b.vacant_area == Decimal(5000) and b.vacancy_rate == pytest.approx(0.25)
    assert a.open_cases == 2 and b.open_cases == 0
    assert b.growth == pytest.approx(-0.25) and not b.hundred_million
    # A year without a building figure falls back on the sum of its enterprises' tax.
    assert [(y.year, y.tax) for y in a.years][0] == (2022, Decimal(300))


def test_sorting(towers, leader):
    assert [r.building.name for r in ranking(leader, "tax")] == ["Tower A", "Tower B"]
    assert [r.building.name for r in ranking(leader, "vacancy")] == ["Tower B", "Tower A"]
    by_growth = ranking(leader, "growth", descending=False)
    assert [r.building.name for r in by_growth] == ["Tower B", "Tower A"]
    assert [r.building.name for r in ranking(leader, "cases")] == ["Tower A", "Tower B"]


def test_the_ranking_reads_32_buildings_in_a_fixed_number_of_queries(subdistrict, in_scope, leader):
    def build(n: int) -> None:
        for i in range(n):
            building = BuildingFactory(subdistrict=subdistrict)
            EnterpriseFactory(subdistrict=subdistrict, building=building)
            make_case(building, f"N{building.pk}-{i}")

    build(2)
    with CaptureQueriesContext(connection) as few:
        ranking(leader)
    build(30)
    with CaptureQueriesContext(connection) as many:
        rows = ranking(leader)
    assert len(rows) == 32
    assert len(many) == len(few) <= 8


def test_page_sorts_and_exports(towers, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.LEADER, subdistrict))
    page = client.get(reverse("cockpit:index") + "?sort=vacancy&order=desc")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("Tower B") < body.index("Tower A")
    assert '<td class="num">12,000</td>' in body  # tax with a thousands separator
    export = client.get(reverse("cockpit:export") + "?sort=tax")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][1] == "Building"
    assert values[1][:4] == ["A", "Tower A", 3, 12000]
    assert values[1][7] == "2024, 2025"


def test_the_api_ranks_too(towers, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.BUTLER, subdistrict))
    data = client.get(reverse("api:list_cockpit_buildings") + "?sort=cases").json()
    assert [(d["name"], d["open_cases"]) for d in data] == [("Tower A", 2), ("Tower B", 0)]


def test_a_wrong_sort_is_refused_on_every_surface(towers, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.LEADER, subdistrict))
    api = client.get(reverse("api:list_cockpit_buildings") + "?sort=height")
    assert api.status_code == 422 and "sort" in api.json()["fields"]
    page = client.get(reverse("cockpit:index") + "?sort=height").content.decode()
    assert "<code>sort</code>" in page  # named on the page, which falls back on tax
    assert page.index("Tower A") < page.index("Tower B")
