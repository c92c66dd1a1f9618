"""The pipeline pages: the board, a prospect with masked contact and matched space, moves with
their refusals, registration with field errors, the vacant units, the statistics and Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.enterprise.investment import services
from linli.enterprise.investment.models import Prospect, VacantUnit
from tests.factories import credit_code
from tests.investment.conftest import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(ambassador, client_for):
    return client_for(ambassador)


def test_board_lists_prospects_by_stage_and_overdue_actions(client, prospect, as_ambassador):
    services.add_action(
        prospect, actor=as_ambassador, title="Call Mr Wang", due_on=dt.date(2020, 1, 1)
    )
    body = client.get(reverse("investment:board")).content.decode()
    assert prospect.name in body
    assert "1 overdue action" in body and "Call Mr Wang" in body


def test_prospect_page_masks_the_phone_and_matches_space(client, prospect, unit):
    body = client.get(reverse("investment:prospect", kwargs={"pk": prospect.pk})).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert "480.0 m² for 500.0 m² needed (4% off)" in body
    assert "floor 12 within 10–20" in body
    assert "rent 8.50 within budget 9.00 yuan/m²/day" in body


def test_a_refused_move_says_why(client, prospect):
    url = reverse("investment:move", kwargs={"pk": prospect.pk})
    page = client.post(url, {"to_stage": "signed"}, follow=True)
    assert "after lead comes contacted" in page.content.decode()
    client.post(url, {"to_stage": "contacted", "note": "First call"})
    assert Prospect.objects.get(pk=prospect.pk).stage == "contacted"


def test_registration_page_shows_field_errors_then_registers(client, prospect, as_ambassador, unit):
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    url = reverse("investment:register", kwargs={"pk": prospect.pk})
    page = client.post(url, {"credit_code": "913101060000000000", "founded_on": "2026-03-01"})
    assert page.status_code == 200
    assert "check character" in page.content.decode()
    page = client.post(
        url, {"credit_code": credit_code(31337), "founded_on": "2026-03-01", "unit": unit.pk}
    )
    assert page.status_code == 302
    prospect.refresh_from_db()
    assert prospect.stage == "registered"
    assert prospect.enterprise.building_id == unit.building_id


def test_vacant_units_are_edited_with_checks(
    subdistrict, make_user, client_for, building, in_scope
):
    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    data = {
        "building": building.pk,
        "label": "3101",
        "floor": "31",
        "area_m2": "200",
        "rent_per_m2_day": "9.5",
        "available_from": "2026-04-01",
    }
    page = client.post(reverse("investment:unit_create"), data)
    assert "Jing&#x27;an Tower has 30 floors." in page.content.decode()
    client.post(reverse("investment:unit_create"), {**data, "floor": "30"})
    assert VacantUnit.objects.get(label="3101").area_m2 == Decimal("200")
    assert "3101" in client.get(reverse("investment:space")).content.decode()


def test_statistics_page_and_excel(client, prospect, as_ambassador):
    services.move_prospect(prospect, actor=as_ambassador, to_stage="lost", reason="rent")
    body = client.get(reverse("investment:statistics")).content.decode()
    assert "Investment fair" in body
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("investment:statistics_export")).content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Group"
    assert ["All", "All prospects", 1, 0, 0, 1, 0.0, 0.0, None] in rows


def test_api_moves_and_registers(client, prospect, as_ambassador):
    url = reverse("api:move_prospect", kwargs={"pk": prospect.pk})
    refused = client.post(url, {"to_stage": "signed"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["to_stage"] == [
        "A prospect moves one stage at a time: after lead comes contacted."
    ]
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    url = reverse("api:register_prospect", kwargs={"pk": prospect.pk})
    bad = client.post(url, {"credit_code": "X", "founded_on": "2026-03-01"}, "application/json")
    assert bad.status_code == 400 and "credit_code" in bad.json()["fields"]
    good = client.post(
        url, {"credit_code": credit_code(99), "founded_on": "2026-03-01"}, "application/json"
    )
    assert good.status_code == 201
    detail = client.get(reverse("api:get_prospect", kwargs={"pk": prospect.pk})).json()
    assert [h["to_stage"] for h in detail["history"]][-1] == "registered"
    assert detail["contact_phone_masked"] == "138****5678"


def test_the_own_ambassador_unmasks_the_phone_and_it_is_audited(
    client, prospect, subdistrict, make_user, client_for
):
    url = reverse("unmask", kwargs={"model": "prospect", "kind": "phone", "pk": prospect.pk})
    page = client.get(reverse("investment:prospect", kwargs={"pk": prospect.pk}))
    assert url in page.content.decode()
    assert client.post(url).json() == {"value": "13812345678"}
    assert (
        AuditEntry.objects.filter(action="core.personal_data.unmask", note="prospect.phone").count()
        == 1
    )
    leader = client_for(make_user(Role.LEADER, subdistrict))
    assert leader.post(url).status_code == 403


def test_an_error_in_the_prospect_data_is_named_on_the_registration_page(
    client, prospect, as_ambassador
):
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    Prospect.objects.filter(pk=prospect.pk).update(industry_code="99")
    page = client.post(
        reverse("investment:register", kwargs={"pk": prospect.pk}),
        {"credit_code": credit_code(4040), "founded_on": "2026-03-01"},
    )
    assert "industry (GB/T 4754) (from the prospect): Use a GB/T 4754-2017 code" in (
        page.content.decode()
    )
    assert Prospect.objects.get(pk=prospect.pk).enterprise is None
