"""The sporadic-works pages as people use them: a resident registers at home on the form and
sees their own registration; bad input comes back on its field (400); the grid worker's ledger
holds their grid's works only, filtered and exported; the inspection form records the checklist."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.cases.models import Case
from linli.governance.works import services
from linli.governance.works.models import Works
from tests.works.helpers import TODAY, register

pytestmark = pytest.mark.django_db

FORM = {
    "place": "dwelling",
    "scopes": ["interior", "waste"],
    "description": "厨房翻新",
    "starts_on": "2026-10-14",
    "ends_on": "2026-11-14",
    "contractor": "上海安居装饰工程有限公司",
}


def test_a_resident_registers_at_home_and_sees_only_their_own(hood, users, people, client_for):
    client = client_for(users["resident"])
    dwelling = hood.dwellings[0]
    page = client.get(reverse("works:register"))
    assert f"?dwelling={dwelling.pk}" in page.content.decode()
    assert f"?dwelling={hood.dwellings[1].pk}" not in page.content.decode()
    # Their one home is the place chosen already, and the button says what it does.
    assert 'name="place" value="dwelling" required id="id_place_0" checked' in page.content.decode()
    assert ">Register</button>" in page.content.decode()
    response = client.post(reverse("works:register"), {**FORM, "dwelling": dwelling.pk})
    assert response.status_code == 302
    with scope(subdistrict=hood.subdistrict):
        works = Works.objects.get()
    assert works.registered_by == users["resident"]
    assert client.get(reverse("works:detail", args=[works.pk])).status_code == 200
    ledger = client.get(reverse("works:list")).content.decode()
    assert works.number in ledger
    assert (
        client_for(users["neighbour"]).get(reverse("works:detail", args=[works.pk])).status_code
        == 404
    )


def test_bad_input_is_a_field_error_and_writes_nothing(hood, users, client_for):
    client = client_for(users["resident"])
    response = client.post(
        reverse("works:register"),
        {**FORM, "scopes": ["structural"], "dwelling": hood.dwellings[0].pk},
    )
    assert response.status_code == 400
    assert "forbidden without the approval" in response.content.decode()
    response = client.post(reverse("works:register"), {**FORM, "dwelling": hood.dwellings[1].pk})
    assert response.status_code == 400
    assert "Choose a dwelling you may register works at." in response.content.decode()
    response = client.post(reverse("works:register"), {**FORM, "ends_on": "2026-10-01"})
    assert response.status_code == 400
    with scope(subdistrict=hood.subdistrict):
        assert not Works.objects.exists()


def test_the_grid_workers_ledger_filters_and_exports_their_grid(hood, users, people, client_for):
    mine = register(people["admin"], hood.dwellings[0], "facade")
    theirs = register(people["admin"], hood.dwellings[1])
    client = client_for(users["grid1"])
    page = client.get(reverse("works:list")).content.decode()
    assert mine.number in page and theirs.number not in page
    filtered = client.get(reverse("works:list"), {"classification": "interior"}).content.decode()
    assert mine.number not in filtered
    assert client.get(reverse("works:list"), {"stage": "nonsense"}).status_code == 400
    export = client.get(reverse("works:export"), {"stage": "registered"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert mine.number in cells and theirs.number not in cells
    assert any("registered" in c or "Registered" in c for c in cells)  # the filter, above


def test_the_inspection_form_records_the_checklist(hood, users, people, client_for):
    works = register(people["admin"], hood.dwellings[0], "facade")
    services.issue_notice(works, actor=people["admin"], on=TODAY)
    client = client_for(users["grid1"])
    url = reverse("works:inspect", args=[works.pk])
    missing = client.post(url, {"inspected_on": "2026-10-12", "items_facade_plan": "pass"})
    assert missing.status_code == 400
    data = {
        "inspected_on": "2026-10-12",
        "items_facade_plan": "pass",
        "items_no_protrusion": "fail",
        "items_no_protrusion_note": "",
        "items_balcony_load": "pass",
    }
    no_note = client.post(url, data)
    assert no_note.status_code == 400
    assert "Say what is not in order." in no_note.content.decode()
    done = client.post(url, {**data, "items_no_protrusion_note": "雨棚伸出"})
    assert done.status_code == 302
    with scope(subdistrict=hood.subdistrict):
        works.refresh_from_db()
        assert works.stage == "rectify"
    page = client.get(reverse("works:detail", args=[works.pk])).content.decode()
    assert "雨棚伸出" in page
    pdf = client.get(reverse("works:notice_pdf", args=[works.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert reverse("works:public", kwargs={"token": works.token}).encode() in pdf.content


def test_a_grid_worker_finds_a_home_and_records_unregistered_works_once(hood, users, client_for):
    client = client_for(users["grid1"])
    mine, theirs = hood.dwellings
    found = client.get(reverse("works:unregistered"), {"q": "1号楼 301"}).content.decode()
    assert f"?dwelling={mine.pk}" in found
    assert f"?dwelling={theirs.pk}" not in found
    assert client.get(reverse("works:unregistered"), {"dwelling": theirs.pk}).status_code == 404
    finding = {
        "place": "dwelling",
        "dwelling": mine.pk,
        "description": "敲墙施工，未见公示",
        "found_on": "2026-10-12",
    }
    first = client.post(reverse("works:unregistered"), finding)
    second = client.post(reverse("works:unregistered"), finding)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with scope(subdistrict=hood.subdistrict):
        works = Works.objects.get()
        assert works.stage == "unregistered" and works.case is not None
        assert Case.objects.count() == 1
    page = client.get(first["Location"]).content.decode()
    assert works.case.number in page
