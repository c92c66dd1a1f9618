"""One building's dashboard: its figures, industry mix, cases and sub-centre usage; a
building manager sees their own building only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from linli.cockpit import buildings
from linli.core.roles import Role

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_building(towers, subdistrict, make_user, client_for):
    a, _b = towers
    client = client_for(make_user(Role.LEADER, subdistrict))
    page = client.get(reverse("cockpit:building", kwargs={"pk": a.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "A 100-million-yuan building in: 2024, 2025." in body
    assert "Information transmission, software and IT services" in body
    assert "Case C1" in body and "Case C3" not in body
    assert "vendor/echarts/echarts.min.js" in body
    assert 'id="cockpit-data"' in body
    # Figures read as figures: grouped, no trailing decimals of a stored Decimal.
    assert '<td>2025</td><td class="num">12,000</td>' in body
    assert "12000.00" not in body


def test_industry_mix_names_the_sections(towers, leader):
    a, _b = towers
    mix = buildings.industry_mix(leader, a)
    assert mix == [
        {"section": "I", "name": "Information transmission, software and IT services", "count": 2}
    ]


def test_subcentre_usage_without_bookings_is_zero(towers, subdistrict, make_user, client_for):
    a, _b = towers
    client = client_for(make_user(Role.LEADER, subdistrict))
    data = client.get(reverse("api:get_cockpit_building", kwargs={"pk": a.pk})).json()
    usage = data["subcentre_usage"]
    assert (usage["bookings"], usage["hours"], usage["checked_in_rate"]) == (0, 0.0, 0.0)
    assert data["industries"][0]["section"] == "I"
    assert data["hundred_million_years"] == [2024, 2025]


def test_subcentre_usage_comes_from_the_bookings_seam(
    towers, subdistrict, make_user, client_for, monkeypatch
):
    a, _b = towers
    seen = {}

    def usage(ids, since, until, *, access):
        seen.update(ids=list(ids), days=(until - since).days + 1, roles=set(access.roles))
        return {a.pk: {"bookings": 7, "hours": 12.5, "checked_in_rate": 0.75}}

    monkeypatch.setattr(buildings, "subcentre_usage", usage)
    client = client_for(make_user(Role.LEADER, subdistrict))
    page = client.get(reverse("cockpit:building", kwargs={"pk": a.pk}))
    assert "7 bookings, 12.5 hours booked" in page.content.decode()
    assert "Checked in: 75 %" in page.content.decode()
    assert seen == {"ids": [a.pk], "days": 90, "roles": {Role.LEADER}}


def test_a_building_manager_sees_only_their_building(towers, subdistrict, make_user, client_for):
    a, b = towers
    client = client_for(make_user(Role.BUILDING_MANAGER, subdistrict, building=a))
    assert client.get(reverse("cockpit:index")).url == reverse(
        "cockpit:building", kwargs={"pk": a.pk}
    )
    assert client.get(reverse("cockpit:building", kwargs={"pk": a.pk})).status_code == 200
    assert client.get(reverse("cockpit:building", kwargs={"pk": b.pk})).status_code == 404
    assert client.get(reverse("cockpit:export")).status_code == 403
    assert client.get(reverse("api:list_cockpit_buildings")).status_code == 403


def test_registering_into_a_unit_lowers_the_vacancy(towers, leader):
    a, _b = towers
    (row,) = buildings.building_rows(leader, [a])
    unit = a.vacant_units.get(label="1001")
    unit.taken_at = "2026-02-01T00:00:00Z"
    unit.save()
    (after,) = buildings.building_rows(leader, [a])
    assert (row.vacant_area, after.vacant_area) == (800, 0)


def test_each_role_reads_the_figures_of_what_it_may_see(towers, subdistrict, make_user, client_for):
    """The dashboards read through the registry's audiences: a leader every enterprise, a
    butler their portfolio, a building manager their building's enterprises (counts and
    industries) but not their yearly figures."""
    a, _b = towers
    butler = make_user(Role.BUTLER, subdistrict)
    software = a.enterprises.get(industry_code="I6510")
    type(software).objects.filter(pk=software.pk).update(butler=butler)
    manager = make_user(Role.BUILDING_MANAGER, subdistrict, building=a)
    url = reverse("api:get_cockpit_building", kwargs={"pk": a.pk})

    def figures(user) -> tuple:
        data = client_for(user).get(url).json()
        by_year = {y["year"]: y["enterprises"] for y in data["tax_years"]}
        industries = {i["section"]: i["count"] for i in data["industries"]}
        summed = by_year.get(2022)  # a year only the enterprises' own figures tell
        return data["enterprises"], industries, None if summed is None else Decimal(summed)

    assert figures(make_user(Role.LEADER, subdistrict)) == (3, {"I": 2}, Decimal(300))
    assert figures(butler) == (1, {"I": 1}, Decimal(300))
    assert figures(manager) == (3, {"I": 2}, None)
    ranked = client_for(butler).get(reverse("api:list_cockpit_buildings")).json()
    assert {d["name"]: d["enterprises"] for d in ranked} == {"Tower A": 1, "Tower B": 0}
    page = client_for(butler).get(reverse("cockpit:building", kwargs={"pk": a.pk}))
    assert "include only the enterprises you may see" in page.content.decode()
