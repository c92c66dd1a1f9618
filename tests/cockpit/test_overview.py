"""The leaders' overview: each case indicator's formula on crafted cases, the drill-down from a
figure to its breakdown to the list (the same number at every step), and a bounded number of
queries whatever the data size."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from linli.cases import services as s
from linli.cockpit.indicators import INDICATORS, Period
from tests.cases.conftest import png_bytes
from tests.core.lists import table_rows

SEPTEMBER, OCTOBER = Period(2026, 9), Period(2026, 10)


def figure(office, key: str, period: Period):
    return INDICATORS[key].compute(office.access(office.leader), period)


@pytest.fixture
def month(office, report, now):
    """September: three web reports and a phone call, handled as in the case metrics test;
    one case reopened after a dissatisfied callback; October: one late closure."""
    a = office.access
    d, ha, hb = a(office.dispatcher), a(office.handler_a), a(office.handler_b)

    def finish(case, handler, satisfaction, resolved, *, close=True):
        s.start_handling(case, actor=handler)
        s.submit_for_verification(case, actor=handler, note="Done", after=[png_bytes()])
        s.verify_case(case, actor=a(office.grid_worker))
        s.record_callback(case, actor=d, satisfaction=satisfaction, resolved=resolved)
        if close:
            s.close_case(case, actor=d)

    now("2026-09-29 10:00")
    c1, c2, c3 = report(), report(), report()
    by_phone = report(channel="phone", actor=d)
    for case in (c1, c2, c3, by_phone):
        s.register_case(case, actor=d)
        s.dispatch_case(case, office.dept_a, actor=d)
    now("2026-09-29 10:30")
    s.accept_case(c1, actor=ha)
    s.accept_case(c3, actor=ha)
    s.accept_case(by_phone, actor=ha)
    finish(c1, ha, "satisfied", True)
    finish(c3, ha, "dissatisfied", False, close=False)
    s.reopen_case(c3, actor=d, reason="Still broken")
    now("2026-09-29 11:30")  # half an hour after the acceptance limit
    s.return_case(c2, actor=ha, reason="Not ours")
    s.dispatch_case(c2, office.dept_b, actor=d)
    s.accept_case(c2, actor=hb)
    now("2026-10-20 10:00")  # long after the 5-working-day limit
    finish(c2, hb, "basically_satisfied", True)
    return {"c1": c1, "c2": c2, "c3": c3, "phone": by_phone}


def test_intake_counts_the_month_by_channel(office, month):
    september = figure(office, "cases.intake", SEPTEMBER)
    assert september.value == 4
    assert {p.label: p.value for p in september.parts} == {"Web form": 3, "Phone call": 1}
    assert figure(office, "cases.intake", OCTOBER).value == 0


def test_rates_follow_their_formulas(office, month):
    # September: 4 dispatches answered in time (c1, c3, phone, c2 at dept B), c2's return late.
    acceptance = figure(office, "cases.timely_acceptance", SEPTEMBER)
    assert (acceptance.value, acceptance.base) == (0.8, 5)
    # c1 closed on time in September; c2 closed late in October.
    assert figure(office, "cases.on_time_closure", SEPTEMBER).value == 1.0
    assert figure(office, "cases.on_time_closure", OCTOBER).value == 0.0
    # Callbacks in September: c1 satisfied and resolved, c3 dissatisfied and unresolved.
    assert figure(office, "cases.satisfaction", SEPTEMBER).value == 0.5
    assert figure(office, "cases.resolution", SEPTEMBER).value == 0.5
    # A month without callbacks has no rate, not 0 %.
    empty = figure(office, "cases.satisfaction", Period(2026, 8))
    assert (empty.value, empty.base) == (None, 0)


def test_a_reopened_case_counts_once_in_its_month(office, month):
    assert figure(office, "cases.reopened", SEPTEMBER).value == 1
    assert figure(office, "cases.reopened", OCTOBER).value == 0


def test_overdue_leaves_out_a_case_whose_clock_is_paused(office, month, now):
    now("2026-12-01 10:00")  # every open case is long past its deadline
    handler = office.access(office.handler_a)
    s.start_handling(month["phone"], actor=handler)
    s.wait_for_reporter(month["phone"], actor=handler, note="Which floor?")
    overdue = figure(office, "cases.overdue", OCTOBER)
    assert overdue.value == 1  # c3, re-handled after reopening; the phone case is paused
    (grid,) = overdue.parts
    assert (grid.label, grid.value) == ("G01 Grid 1", 1)


def test_the_leader_drills_from_the_figure_to_the_grid_to_its_list(office, month, now, client_for):
    now("2026-12-01 10:00")
    handler = office.access(office.handler_a)
    s.start_handling(month["phone"], actor=handler)
    s.wait_for_reporter(month["phone"], actor=handler, note="Which floor?")
    client = client_for(office.leader)
    page = client.get(reverse("cockpit:overview"), {"month": "2026-09"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-key="cases.overdue"' in text and "Formula:" in text
    detail = client.get(reverse("cockpit:indicator", args=["cases.overdue"]))
    assert "G01 Grid 1" in detail.content.decode()
    (part,) = detail.context["figure"].parts
    listing = client.get(part.url)
    assert [c.number for c in listing.context["page"]] == [month["c3"].number]
    export = client.get(reverse("cases:export") + "?" + part.url.split("?", 1)[1])
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = " ".join(str(v) for row in rows[:4] for v in row if v)
    assert "Overdue" in head and "G01 Grid 1" in head and "Computed at" in head
    assert len(table_rows(rows)) == 1 + 1


def test_the_intake_list_has_as_many_cases_as_the_figure(office, month, client_for):
    client = client_for(office.leader)
    september = figure(office, "cases.intake", SEPTEMBER)
    listing = client.get(september.url)
    assert listing.context["page"].paginator.count == september.value == 4
    phone = next(p for p in september.parts if p.label == "Phone call")
    assert client.get(phone.url).context["page"].paginator.count == 1


def test_a_month_that_cannot_be_read_is_said(office, client_for):
    page = client_for(office.leader).get(reverse("cockpit:overview"), {"month": "2026-13"})
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()


def test_the_overview_runs_the_same_queries_whatever_the_data_size(office, report, now, client_for):
    client = client_for(office.leader)
    url = reverse("cockpit:overview")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    now("2026-09-29 10:00")
    report()
    queries()  # the first request after signing in also saves the session
    few = queries()
    for _ in range(12):
        report(channel="phone", actor=office.access(office.dispatcher))
    assert queries() == few
