"""The enterprise list of the retention pages: the same rows, risk and next visit due on the
page, in the API and in the Excel export, from one filter definition."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from linli.core import clock
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.risk import add_months
from tests.retention.conftest import days_ago


def overdue_jade(street) -> None:
    """A yearly plan since long ago; Jade was last visited 400 days ago (overdue), Harbour a
    month ago; Orphan has no butler, so no visit is due."""
    plan = VisitPlan.objects.create(subdistrict=street.subdistrict, name="Yearly", every_months=12)
    VisitPlan.objects.filter(pk=plan.pk).update(created_at=clock.now() - dt.timedelta(days=800))
    for enterprise, ago in ((street.jade, 400), (street.harbour_co, 30)):
        Visit.objects.create(
            subdistrict=street.subdistrict,
            enterprise=enterprise,
            butler=enterprise.butler,
            visited_on=days_ago(ago),
            people_met="CEO",
            topics="Check-in",
        )


def surfaces(client, params: dict) -> tuple[str, dict, list]:
    page = client.get(reverse("retention:portfolio"), params).content.decode()
    api = json.loads(client.get(reverse("api:retention_list_enterprises"), params).content)
    export = client.get(reverse("retention:portfolio_xlsx"), params)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    return page, api, rows


def test_risk_and_next_visit_agree_on_page_api_and_export(street):
    overdue_jade(street)
    page, api, rows = surfaces(street.client(street.leader), {})
    items = {i["name"]: i for i in api["items"]}
    assert api["count"] == 3
    jade = items["Jade Software Ltd"]
    assert jade["visit_overdue"] is True
    assert jade["visit_due_on"] == add_months(days_ago(400), 12).isoformat()
    assert items["Harbour Trading Ltd"]["visit_overdue"] is False
    assert items["Orphan Studio Ltd"]["visit_due_on"] is None  # no butler: nobody visits
    assert jade["risk"] is not None and jade["risk_level"] in ("low", "medium", "high")

    header, *body = rows
    by_id = {row[header.index("id")]: row for row in body}
    for item in api["items"]:
        row = by_id[item["id"]]
        assert row[header.index("Risk score")] == item["risk"]
        assert row[header.index("Overdue")] == {True: "yes", False: "no", None: None}.get(
            item["visit_overdue"]
        )
    assert f'data-level="{jade["risk_level"]}">{jade["risk"]}</span>' in page
    assert "· overdue" in page


def test_staff_without_the_risk_see_neither_risk_nor_visits_due(street):
    overdue_jade(street)
    page, api, rows = surfaces(street.client(street.dispatcher), {})
    assert {i["name"] for i in api["items"]} == {
        "Jade Software Ltd",
        "Harbour Trading Ltd",
        "Orphan Studio Ltd",
    }
    assert all(i["risk"] is None and i["visit_due_on"] is None for i in api["items"])
    assert "Risk score" not in rows[0] and "Overdue" not in rows[0]
    assert 'class="risk"' not in page


def test_filters_are_one_definition_with_one_set_of_errors(street):
    client = street.client(street.leader)
    page, api, rows = surfaces(client, {"building": street.harbour.pk, "q": "trading"})
    assert [i["name"] for i in api["items"]] == ["Harbour Trading Ltd"]
    assert [r[0] for r in rows[1:]] == ["Harbour Trading Ltd"]
    assert "Harbour Trading Ltd" in page and "Orphan Studio Ltd" not in page

    bad = client.get(reverse("api:retention_list_enterprises"), {"building": "tower"})
    assert bad.status_code == 422 and "building" in json.loads(bad.content)["fields"]
    page = client.get(reverse("retention:portfolio"), {"building": "tower"}).content.decode()
    assert "<code>building</code>" in page and "Orphan Studio Ltd" in page  # no filter applied
