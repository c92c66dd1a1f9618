"""The group-rental pages as people use them: a grid worker records a patrol lead and inspects
on the phone; the department issues the notice PDF; the lists, map and export show each person
what they work on."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.core.access import Access
from linli.governance.rentals import services
from linli.governance.rentals.models import GroupRental
from tests.rentals.helpers import rooms

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(hood):
    """A lead in each grid's quarter."""
    system = Access.system(hood.subdistrict)
    with scope(subdistrict=hood.subdistrict):
        return [
            services.record_lead(
                d,
                actor=system,
                source=GroupRental.Source.PROPERTY_MANAGER,
                description="物业反映",
                reported_on=dt.date(2026, 9, 1),
            )
            for d in hood.dwellings
        ]


def test_a_grid_worker_records_a_lead_and_inspects_on_the_phone(hood, users, client_for):
    client = client_for(users["grid1"])
    dwelling = hood.dwellings[0]
    found = client.get(reverse("rentals:find"), {"q": "1号楼 301"})
    assert reverse("rentals:new", args=[dwelling.pk]) in found.content.decode()
    # The other grid's dwelling is neither found nor open to a lead.
    assert reverse("rentals:new", args=[hood.dwellings[1].pk]) not in found.content.decode()
    assert client.get(reverse("rentals:new", args=[hood.dwellings[1].pk])).status_code == 404
    response = client.post(
        reverse("rentals:new", args=[dwelling.pk]),
        {"source": "patrol", "reported_on": "2026-09-01", "description": "晚上很多人进出"},
    )
    assert response.status_code == 302
    with scope(subdistrict=hood.subdistrict):
        group_rental = GroupRental.objects.get(dwelling=dwelling)
    url = reverse("rentals:inspect", args=[group_rental.pk])
    assert client.get(url).status_code == 200
    form = {
        "inspected_on": "2026-09-02",
        "rooms-TOTAL_FORMS": "8",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-kind": "bedroom",
        "rooms-0-area_m2": "12",
        "rooms-0-sleepers": "2",
        "rooms-1-kind": "balcony",
        "rooms-1-area_m2": "4.5",
        "rooms-1-sleepers": "1",
    }
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("rentals:detail", args=[group_rental.pk])).content.decode()
    assert "A room not designed for living is let" in page
    assert "room 2 (Balcony)" in page
    with scope(subdistrict=hood.subdistrict):
        group_rental.refresh_from_db()
        assert group_rental.stage == GroupRental.Stage.INSPECTED


def test_a_room_without_its_area_is_a_field_error(hood, users, client_for, files):
    client = client_for(users["grid1"])
    response = client.post(
        reverse("rentals:inspect", args=[files[0].pk]),
        {
            "inspected_on": "2026-09-02",
            "rooms-TOTAL_FORMS": "8",
            "rooms-INITIAL_FORMS": "0",
            "rooms-0-kind": "bedroom",
            "rooms-0-sleepers": "2",
        },
    )
    assert response.status_code == 400
    assert "Give the room&#x27;s area in m²." in response.content.decode()
    with scope(subdistrict=hood.subdistrict):
        assert not files[0].inspections.exists()


def test_the_department_issues_the_notice_pdf(hood, users, client_for, files):
    with scope(subdistrict=hood.subdistrict):
        services.record_inspection(
            files[0],
            actor=Access.system(hood.subdistrict),
            rooms=rooms(("bedroom", "8", 3)),
            inspected_on=dt.date(2026, 9, 2),
        )
    client = client_for(users["department"])
    assert client.post(reverse("rentals:notice", args=[files[0].pk])).status_code == 302
    with scope(subdistrict=hood.subdistrict):
        notice = files[0].notices.get()
    pdf = client.get(reverse("rentals:notice_pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_each_person_lists_and_maps_what_they_work_on(hood, users, client_for, files):
    with scope(subdistrict=hood.subdistrict):
        for building in (d.unit.building for d in hood.dwellings):
            type(building).objects.filter(pk=building.pk).update(lon=121.45, lat=31.22)
    for name, expected in (("grid1", [files[0]]), ("grid2", [files[1]]), ("admin", files)):
        client = client_for(users[name])
        listing = client.get(reverse("rentals:list")).content.decode()
        for f in files:
            link = reverse("rentals:detail", args=[f.pk])
            assert (link in listing) == (f in expected), (name, f)
        layers = client.get(reverse("rentals:map_layers")).json()["layers"]
        open_layer = next(layer for layer in layers if layer["id"] == "rentals-open")
        assert sorted(f["properties"]["id"] for f in open_layer["data"]["features"]) == sorted(
            f.pk for f in expected
        )
    assert (
        client_for(users["grid1"]).get(reverse("rentals:detail", args=[files[1].pk])).status_code
        == 404
    )
    for name in ("window", "resident", "enterprise"):
        assert client_for(users[name]).get(reverse("rentals:list")).status_code == 403


def test_the_committee_sees_its_quarters(hood, users, client_for, files):
    client = client_for(users["committee"])
    assert client.get(reverse("rentals:detail", args=[files[0].pk])).status_code == 200
    assert client.get(reverse("rentals:detail", args=[files[1].pk])).status_code == 404


def test_the_statistics_export(hood, users, client_for, files):
    response = client_for(users["department"]).get(reverse("rentals:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Quarter"
    assert sorted(r[1] for r in rows[1:]) == [1, 1]  # one lead in each quarter
    assert client_for(users["grid1"]).get(reverse("rentals:export")).status_code == 403


def test_pages_render_in_chinese(hood, users, client_for, files):
    client = client_for(users["admin"])
    for url in (
        reverse("rentals:list"),
        reverse("rentals:detail", args=[files[0].pk]),
        reverse("rentals:quarters"),
        reverse("rentals:statistics"),
        reverse("rentals:map"),
        reverse("rentals:inspect", args=[files[0].pk]),
    ):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200, url


def test_the_workbench_shows_the_grids_leads(hood, users, client_for, files):
    home = client_for(users["grid1"]).get(reverse("home")).content.decode()
    start = home.index('id="wb-rentals-files"')
    panel = home[start : home.index("</section>", start)]
    assert "leads to inspect" in panel
    assert f"{reverse('rentals:list')}?stage=lead" in panel
    assert (
        'id="wb-rentals-files"'
        not in client_for(users["window"]).get(reverse("home")).content.decode()
    )
