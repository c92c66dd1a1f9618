"""Risk computed from the database: the profile's factors, the watch list order and its Excel
export, the API, and the nightly snapshot (one per enterprise and day)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linli.cases.models import CaseEvent, Satisfaction
from linli.core import clock
from linli.enterprise.retention.assessment import assess
from linli.enterprise.retention.models import RiskSnapshot, Visit
from linli.enterprise.retention.queries import satisfaction_by_quarter
from linli.enterprise.retention.services import Demand, log_visit, snapshot_risks
from linli.enterprise.retention.tasks import take_risk_snapshots
from linli.registry.models import Enterprise, EnterpriseYear
from tests.retention.conftest import days_ago


def figures(enterprise, *rows):
    for year, tax, headcount in rows:
        EnterpriseYear.objects.create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            year=year,
            revenue=Decimal(tax) * 10,
            tax=Decimal(tax),
            headcount=headcount,
        )


def callback(case, outcome, at):
    CaseEvent.objects.create(
        subdistrict=case.subdistrict, case=case, at=at, action="record_callback", outcome=outcome
    )


def leaving_and_stable(street):
    """Jade (big taxpayer) is leaving, Harbour (small) shows one sign, the orphan is stable."""
    today = clock.today()
    Enterprise.objects.filter(pk=street.jade.pk).update(lease_end=today + dt.timedelta(days=60))
    Enterprise.objects.filter(pk=street.harbour_co.pk).update(
        lease_end=today + dt.timedelta(days=90)
    )
    street.jade.refresh_from_db()
    street.harbour_co.refresh_from_db()
    figures(street.jade, (2024, "5000", 400), (2025, "3500", 320))
    figures(street.harbour_co, (2024, "200", 30), (2025, "210", 31))
    figures(street.orphan, (2024, "90", 8), (2025, "95", 9))
    visit = log_visit(
        street.jade,
        actor=street.access(street.wang),
        visited_on=days_ago(3),
        people_met="Mr Gao, GM",
        topics="Lease",
        notes="租约明年到期不续，董事会在看临港，可能整体外迁。",
        demands=[Demand(street.finance, "Help with relocation subsidies")],
    )
    callback(visit.demands.get().case, Satisfaction.DISSATISFIED, clock.now())
    for enterprise in (street.harbour_co, street.orphan):
        Visit.objects.create(
            subdistrict=street.subdistrict,
            enterprise=enterprise,
            butler=street.zhou,
            visited_on=days_ago(10),
            people_met="CEO",
            topics="Check-in",
            notes="Business as usual.",
        )


def test_the_profile_explains_the_score(street):
    leaving_and_stable(street)
    assessment = assess(street.jade)
    keys = [f["key"] for f in assessment.explained]
    assert keys[:1] == ["moving_words"]  # the heaviest sign first
    assert set(keys) == {
        "moving_words",
        "lease_ending",
        "tax_falling",
        "headcount_falling",
        "dissatisfied_callbacks",
        "open_appeals",
    }
    page = (
        street.client(street.wang)
        .get(reverse("retention:profile", kwargs={"pk": street.jade.pk}))
        .content.decode()
    )
    assert 'data-factor="moving_words"' in page and "到期不续" in page
    assert "Tax 5000.00 in 2024, 3500.00 in 2025 (10k yuan, −30%)." in page


def test_watch_list_orders_by_risk_times_tax_and_exports(street):
    leaving_and_stable(street)
    client = street.client(street.leader)
    page = client.get(reverse("retention:watchlist")).content.decode()
    assert page.index("Jade Software Ltd") < page.index("Harbour Trading Ltd")
    assert "Orphan Studio Ltd" not in page  # no warning sign at all

    response = client.get(reverse("retention:watchlist_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Enterprise"
    assert [r[1] for r in rows[1:]] == ["Jade Software Ltd", "Harbour Trading Ltd"]
    assert "Lease ending soon (25)" in rows[2][8]
    assert all("138" not in str(cell) for row in rows for cell in row)  # no contact data

    api = json.loads(client.get(reverse("api:retention_watchlist")).content)
    assert [r["enterprise"] for r in api] == ["Jade Software Ltd", "Harbour Trading Ltd"]
    assert api[1]["factors"] == [
        {
            "key": "lease_ending",
            "name": "Lease ending soon",
            "evidence": api[1]["factors"][0]["evidence"],
            "points": 25,
        }
    ]
    assert "(in 90 days)" in api[1]["factors"][0]["evidence"]


def test_a_lease_that_ended_reads_as_days_ago_not_minus_days(street):
    leaving_and_stable(street)
    ended = clock.today() - dt.timedelta(days=200)
    Enterprise.objects.filter(pk=street.harbour_co.pk).update(lease_end=ended)
    client = street.client(street.leader)
    english = client.get(reverse("retention:watchlist")).content.decode()
    assert "The lease ended on" in english and "(200 days ago)" in english
    chinese = client.get(reverse("retention:watchlist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = chinese.content.decode()
    assert f"{ended.year}年{ended.month}月{ended.day}日" in text and "200天前" in text
    assert "-200" not in text


def test_nightly_snapshot_is_one_row_per_enterprise_and_day(street):
    leaving_and_stable(street)
    assert snapshot_risks(street.subdistrict) == 3
    Enterprise.objects.filter(pk=street.harbour_co.pk).update(lease_end=None)
    assert take_risk_snapshots.call() == 3
    assert RiskSnapshot.objects.count() == 3
    harbour = RiskSnapshot.objects.get(enterprise=street.harbour_co)
    assert harbour.score == 0 and harbour.factors == []  # the second run of the day won
    jade = RiskSnapshot.objects.get(enterprise=street.jade)
    assert jade.tax == Decimal("3500.00") and jade.on == clock.today()
    assert {f["key"] for f in jade.factors} >= {"moving_words", "lease_ending"}
    snapshot_risks(street.subdistrict, today=clock.today() + dt.timedelta(days=1))
    assert RiskSnapshot.objects.count() == 6


def test_satisfaction_by_quarter(street):
    visit = log_visit(
        street.jade,
        actor=street.access(street.wang),
        visited_on=days_ago(1),
        people_met="CEO",
        topics="Loans",
        demands=[Demand(street.finance, "A loan"), Demand(street.licence, "A licence")],
    )
    a, b = [d.case for d in visit.demands.all()]
    shanghai = timezone.get_current_timezone()
    callback(a, Satisfaction.SATISFIED, dt.datetime(2026, 2, 10, 10, tzinfo=shanghai))
    callback(b, Satisfaction.DISSATISFIED, dt.datetime(2026, 3, 31, 23, tzinfo=shanghai))
    callback(b, Satisfaction.BASICALLY_SATISFIED, dt.datetime(2026, 4, 1, 9, tzinfo=shanghai))
    assert satisfaction_by_quarter(street.jade) == [
        {"quarter": "2026Q1", "callbacks": 2, "satisfied": 1, "rate": 50},
        {"quarter": "2026Q2", "callbacks": 1, "satisfied": 1, "rate": 100},
    ]
    page = (
        street.client(street.member)
        .get(reverse("retention:profile", kwargs={"pk": street.jade.pk}))
        .content.decode()
    )
    assert 'id="satisfaction-data"' in page and "vendor/echarts/echarts.min.js" in page


def test_api_logs_a_visit_with_demands_and_names_bad_fields(street):
    client = street.client(street.wang)
    url = reverse("api:retention_log_visit", kwargs={"pk": street.jade.pk})
    body = {
        "visited_on": days_ago(0).isoformat(),
        "people_met": "Ms Chen",
        "topics": "Hiring",
        "demands": [
            {"category": "APP-FIN", "description": "A loan"},
            {"category": "APP-LIC", "description": "A licence"},
        ],
    }
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert len(json.loads(response.content)["cases"]) == 2

    body["demands"][1]["category"] = "INC"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    error = json.loads(response.content)
    assert error["code"] == "invalid" and "demands.1.category" in error["fields"]
    body["demands"][1]["category"] = "NOPE"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert Visit.objects.count() == 1

    risk = json.loads(
        client.get(reverse("api:retention_risk", kwargs={"pk": street.jade.pk})).content
    )
    assert risk["score"] == 10 and [f["key"] for f in risk["factors"]] == ["open_appeals"]
