"""Coverage, gaps, 2SFCA and what-if on the hand-made street (tests/lifecircle/helpers.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from linli.lifecircle import analysis, services
from tests.lifecircle.helpers import build_street, lonlat


@pytest.fixture
def street(subdistrict):
    return build_street(subdistrict)


def test_coverage_on_the_street(subdistrict, street):
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        kg = analysis.type_coverage(result, "kindergarten")
        care = analysis.type_coverage(result, "elderly_day_care")
    assert kg["threshold_m"] == pytest.approx(300)
    assert kg["total"] == pytest.approx(600)
    assert kg["covered"] == pytest.approx(200)
    assert kg["share"] == pytest.approx(1 / 3)
    by_name = {r["quarter"].name: r for r in kg["quarters"]}
    assert by_name["West Lane"]["share"] == pytest.approx(1.0)
    assert by_name["Middle Yard"]["share"] == pytest.approx(0.5)
    assert by_name["East Court"]["share"] == pytest.approx(0.0)
    # The farthest gate of Middle Yard walks 350 m; East Court's 700 m.
    assert by_name["Middle Yard"]["farthest_m"] == pytest.approx(350, abs=0.5)
    assert by_name["East Court"]["farthest_m"] == pytest.approx(700, abs=0.5)
    # Elderly services: residents over 60, at the elderly's speed (300 m x 0.8).
    assert care["threshold_m"] == pytest.approx(240)
    assert care["weighting"] == "over_60"
    assert care["total"] == pytest.approx(200)
    assert care["share"] == pytest.approx(0.5)


def test_gaps_are_sorted_by_people(subdistrict, street):
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        gaps = analysis.gaps(result, "kindergarten")
    assert [(g["quarter"].name, round(g["uncovered"])) for g in gaps] == [
        ("East Court", 300),
        ("Middle Yard", 100),
    ]


def test_two_step_floating_catchment(subdistrict, street):
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        care = analysis.two_step(result, "elderly_day_care")
    # 20 places shared by East Court's 100 residents over 60: 0.2 each; weighted over all 200
    # residents over 60 that is 0.1, i.e. 100 per 1,000.
    (row,) = care["facility_rows"]
    assert row["demand"] == pytest.approx(100)
    assert row["per_thousand"] == pytest.approx(200)
    assert care["per_thousand"] == pytest.approx(100)
    assert care["no_access"] == pytest.approx(100)
    assert care["capacity"] == 20


def test_what_if_adds_the_quarter_it_reaches(subdistrict, street):
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        lon, lat = lonlat(900, 30)
        change = analysis.what_if(result, lon, lat, "kindergarten")
    assert change["snap_m"] == pytest.approx(30, abs=0.5)
    assert change["added"] == pytest.approx(300)
    assert change["share_before"] == pytest.approx(1 / 3)
    assert change["share_after"] == pytest.approx(5 / 6)
    assert [q["name"] for q in change["quarters"]] == ["East Court"]
    assert change["points"][0]["distance_m"] == pytest.approx(30, abs=0.5)
    assert change["engine_ms"] < 50


def test_suggested_sites_cover_the_gap(subdistrict, street):
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        sites = analysis.suggest_sites(result, "kindergarten", top=2)
    best = sites["sites"][0]
    assert best["added"] == pytest.approx(400)  # East Court and Middle Yard's east gate
    assert lonlat(600)[0] <= best["lon"] <= lonlat(900)[0]


def test_editing_a_standard_changes_the_result(subdistrict, street, make_user, client_for):
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict)
    client = client_for(admin)
    url = reverse("api:lifecircle_coverage") + "?type=kindergarten"
    assert client.get(url).json()[0]["share"] == pytest.approx(1 / 3)

    page = client.get(reverse("lifecircle:standards"))
    assert page.status_code == 200
    data = {}
    for form in page.context["rows"]:
        for field in form["form"]:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    for field in page.context["speeds_form"]:
        data[field.html_name] = field.value()
    data["kindergarten-threshold_m"] = 400
    data["speeds-speed_elderly"] = 1.0
    response = client.post(reverse("lifecircle:standards"), data)
    assert response.status_code == 302, response.context and [
        (r["label"], r["form"].errors) for r in response.context["rows"] if r["form"].errors
    ]
    body = client.get(url).json()[0]
    assert body["threshold_m"] == pytest.approx(400)
    assert body["share"] == pytest.approx(0.5)  # Middle Yard's east gate (350 m) now counts
    care = client.get(reverse("api:lifecircle_coverage") + "?type=elderly_day_care").json()[0]
    # At 1.0 m/s the elderly reach 300 m: Middle Yard's east gate (250 m from x=800) joins.
    assert care["threshold_m"] == pytest.approx(300)
    assert care["share"] == pytest.approx(130 / 200)


def test_invalid_standards_change_nothing(subdistrict, street):
    actor = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        services.ensure_standards(subdistrict)
        with pytest.raises(services.StandardsInvalid) as caught:
            services.update_standards(
                subdistrict,
                {"kindergarten": {"threshold_m": 20}, "park": {"threshold_m": 600}},
                actor=actor,
            )
        assert "threshold_m" in caught.value.errors["kindergarten"]
        thresholds = {
            s.facility_type: s.threshold_m for s in services.ensure_standards(subdistrict)
        }
    assert thresholds["park"] == 500
    assert thresholds["kindergarten"] == 300


def test_a_renamed_quarter_is_not_served_from_the_cache(subdistrict, street):
    with scope(subdistrict=subdistrict):
        first = analysis.get_analysis(subdistrict)
        assert analysis.get_analysis(subdistrict) is first
        quarter = street["quarters"][0]
        type(quarter).objects.filter(pk=quarter.pk).update(population=500)
        second = analysis.get_analysis(subdistrict)
    assert second is not first
    assert analysis.type_coverage(second, "kindergarten")["total"] == pytest.approx(1000)
