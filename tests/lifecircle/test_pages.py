"""The pages and exports of the life circle, and what another sub-district sees."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.core.roles import Role
from linli.lifecircle import services
from tests.lifecircle.helpers import build_street, lonlat


@pytest.fixture
def street(subdistrict):
    return build_street(subdistrict)


@pytest.fixture
def admin(subdistrict, make_user, client_for):
    return client_for(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))


def test_map_page_and_its_layers(street, admin):
    page = admin.get(reverse("lifecircle:map") + "?type=kindergarten")
    assert page.status_code == 200
    html = page.content.decode()
    assert "33.3%" in html and "West Lane" in html
    layers = admin.get(reverse("api:lifecircle_map_layers") + "?type=kindergarten").json()
    ids = [layer["id"] for layer in layers["layers"]]
    assert ids == [
        "boundary",
        "coverage",
        "network",
        "service_area",
        "type_facilities",
        "other_facilities",
    ]
    coverage = next(layer for layer in layers["layers"] if layer["id"] == "coverage")
    shares = {
        f["properties"]["name"]: f["properties"]["share"] for f in coverage["data"]["features"]
    }
    assert shares == pytest.approx({"West Lane": 1.0, "East Court": 0.0, "Middle Yard": 0.5})


def test_service_area_is_the_street_within_reach(street, admin):
    body = admin.get(reverse("api:lifecircle_service_area") + "?type=kindergarten").json()
    assert body["properties"]["threshold_m"] == pytest.approx(300)
    # From x=200, 300 m each way, cut at the street's west end: x=0..500.
    assert body["properties"]["length_km"] == pytest.approx(0.5, abs=0.002)
    assert {f["properties"]["band"] for f in body["features"]} == {0, 1, 2, 3}


def test_what_if_endpoint(street, admin):
    lon, lat = lonlat(900)
    url = reverse("api:lifecircle_what_if") + f"?lon={lon}&lat={lat}&type=kindergarten"
    body = admin.get(url).json()
    assert body["added"] == pytest.approx(300)
    assert body["share_before"] == pytest.approx(1 / 3)
    assert body["share_after"] == pytest.approx(5 / 6)
    assert body["engine_ms"] < 50
    assert "33.3% → 83.3%" in body["message"]
    unknown = admin.get(reverse("api:lifecircle_what_if") + f"?lon={lon}&lat={lat}&type=zoo")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "invalid"


def test_gaps_page_lists_the_biggest_first(street, admin):
    page = admin.get(reverse("lifecircle:gaps") + "?type=kindergarten")
    assert page.status_code == 200
    rows = [(g["quarter"].name, round(g["uncovered"])) for g in page.context["gaps"]]
    assert rows == [("East Court", 300), ("Middle Yard", 100)]
    api = admin.get(reverse("api:lifecircle_gaps")).json()
    assert api[0]["uncovered"] >= api[-1]["uncovered"]


def test_report_page_and_exports(street, admin):
    page = admin.get(reverse("lifecircle:report"))
    assert page.status_code == 200
    assert "Supply and demand (2SFCA)" in page.content.decode()

    xlsx = admin.get(reverse("lifecircle:report_xlsx"))
    assert xlsx.status_code == 200
    assert '.xlsx"' in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Coverage", "Gaps", "2SFCA", "2SFCA by facility", "Homes"]
    sheet = book["Coverage"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    kindergarten = next(r for r in rows if r[0] == "Kindergarten")
    assert kindergarten[5] == 200 and kindergarten[6] == 400
    assert kindergarten[7] == pytest.approx(1 / 3)

    pdf = admin.get(reverse("lifecircle:report_pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_pdf_in_chinese(street, admin):
    admin.cookies["django_language"] = "zh-hans"
    pdf = admin.get(reverse("lifecircle:report_pdf"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content


def test_report_api(street, admin):
    body = admin.get(reverse("api:lifecircle_report")).json()
    assert body["population"] == 600
    kinds = {row["type"]: row for row in body["two_step"]}
    assert kinds["elderly_day_care"]["per_thousand"] == pytest.approx(100)


def test_without_a_network_the_pages_say_so(subdistrict, admin):
    page = admin.get(reverse("lifecircle:map"))
    assert page.status_code == 200
    assert page.context["no_network"]
    api = admin.get(reverse("api:lifecircle_coverage"))
    assert api.status_code == 409
    assert api.json()["code"] == "no_network"


def test_other_subdistrict_sees_nothing_of_ours(
    street, subdistrict, other_subdistrict, make_user, client_for
):
    theirs = build_street(other_subdistrict, tag="B")
    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, other_subdistrict))
    ours = street["version"]
    response = client.post(reverse("lifecircle:network_use", kwargs={"pk": ours.pk}))
    assert response.status_code == 404
    # Their coverage is computed from their own quarters only.
    body = client.get(reverse("api:lifecircle_coverage") + "?type=kindergarten").json()[0]
    names = {q["name"] for q in body["quarters"]}
    assert names == {"West LaneB", "East CourtB", "Middle YardB"}
    versions = client.get(reverse("api:lifecircle_network")).json()["versions"]
    assert [v["id"] for v in versions] == [theirs["version"].pk]


def test_residents_are_refused(street, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.RESIDENT, subdistrict))
    assert client.get(reverse("lifecircle:map")).status_code == 403
    assert client.get(reverse("api:lifecircle_coverage")).status_code == 403


def test_standards_are_seeded_from_the_defaults(subdistrict):
    with scope(subdistrict=subdistrict):
        rows = services.ensure_standards(subdistrict)
    by_type = {r.facility_type: r for r in rows}
    assert len(rows) == 14  # the twelve of GB 50180 and the two for the elderly
    assert by_type["kindergarten"].threshold_m == 300
    assert by_type["park"].tier_minutes == 10
    assert by_type["middle_school"].threshold_m == 1000
    assert by_type["elderly_day_care"].weighting == "over_60"
    assert by_type["elderly_day_care"].walker == "elderly"
    assert by_type["health_station"].capacity_unit == "doctors"
    assert "GB 50180" in by_type["primary_school"].source_note


def test_the_gaps_page_and_api_take_the_same_filters(street, admin):
    for query in ({"type": "kindergarten"}, {"tier": "5"}, {"tier": "15"}, {}):
        page = admin.get(reverse("lifecircle:gaps"), query)
        api = admin.get(reverse("api:lifecircle_gaps"), query).json()
        shown = [(g["quarter"].name, g["type"]) for g in page.context["gaps"]]
        assert shown == [(g["quarter"], g["type"]) for g in api], query
    assert admin.get(reverse("api:lifecircle_gaps"), {"tier": "7"}).status_code == 422
    assert admin.get(reverse("api:lifecircle_gaps"), {"type": "zoo"}).status_code == 400
    unknown = admin.get(reverse("lifecircle:gaps"), {"type": "zoo"})
    assert "Unknown facility type: zoo." in unknown.content.decode()
