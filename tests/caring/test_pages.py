"""The caring pages as their readers see them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from linli.livelihood.caring import services
from linli.livelihood.caring.models import CaringPlan, CaringVisit
from tests.caring.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(hood, access):
    return [
        services.create_plan(
            access["admin"],
            person=person,
            reason=CaringPlan.Reason.LIVING_ALONE,
            visitor=access[who].user,
        )
        for person, who in zip(hood.persons, ("volunteer", "volunteer2"), strict=True)
    ]


def test_a_volunteer_lists_only_the_people_assigned_to_them(users, plans, client_for):
    page = client_for(users["volunteer"]).get(reverse("caring:mine"))
    assert page.status_code == 200
    assert "Resident A0" in page.text and "Resident A1" not in page.text
    other = client_for(users["volunteer"]).get(reverse("caring:plan", args=[plans[1].pk]))
    assert other.status_code == 404


def test_logging_a_concern_on_the_page_opens_a_case(users, plans, client_for):
    client = client_for(users["volunteer"])
    url = reverse("caring:log", args=[plans[0].pk])
    missing = client.post(url, {"outcome": "concern", "kind": "home", "note": ""})
    assert missing.status_code == 400 and "Describe the concern" in missing.text
    done = client.post(
        url, {"outcome": "concern", "kind": "home", "note": "Fridge empty"}, follow=True
    )
    assert "Case" in done.text and "opened for the residents" in done.text
    assert CaringVisit.objects.get().case is not None


def test_extreme_weather_page_lists_who_to_visit_now(users, plans, access, client_for):
    services.log_visit(access["volunteer"], plans[0], outcome="seen_well")
    admin = client_for(users["admin"])
    admin.post(
        reverse("caring:weather"),
        {
            "reason": "typhoon",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    )
    page = client_for(users["committee"]).get(reverse("caring:weather"))
    # The committee runs the first quarter only; its elder was seen today.
    assert "0 people to visit now" in page.text
    page = admin.get(reverse("caring:weather"))
    assert "1 person to visit now" in page.text and "Resident A1" in page.text


def test_statistics_and_their_export(users, plans, access, client_for):
    services.log_visit(access["volunteer"], plans[0], outcome="seen_well")
    client = client_for(users["leader"])
    page = client.get(reverse("caring:statistics"))
    assert page.status_code == 200 and "50.0%" in page.text
    export = client.get(reverse("caring:statistics_export"), {"month": "2026-03"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = [tuple(v for v in row if v is not None) for row in sheet.values]
    # Above the tables: what the figures are, where, for which month, when computed.
    assert rows[0] == ("Caring-visit coverage", str(access["leader"].subdistrict))
    assert rows[1] == ("Filters", "Month: 2026-03")
    assert rows[2][0] == "Computed at" and rows[3] == ()
    # The page's coverage, as a number.
    assert ("Coverage (%)", 50.0) in rows
    visitors = rows[rows.index(("By visitor",)) + 1 :]
    assert visitors[0] == ("Name", "Visits due", "Visits done", "Coverage (%)")
    assert sorted(r[1:3] for r in visitors[1:]) == [(1, 0), (1, 1)]
