"""Metrics per organisation and period, on a crafted set of cases with known outcomes."""

from __future__ import annotations

import io

import pytest

from linli.cases import services as s
from linli.cases.metrics import export_xlsx, organisation_metrics
from tests.cases.conftest import local, png_bytes


@pytest.fixture
def crafted(office, report, now):
    a = office.access
    d = a(office.dispatcher)
    ha, hb = a(office.handler_a), a(office.handler_b)

    def handle_and_close(case, handler, satisfaction, resolved, *, rework=False, extend=False):
        s.start_handling(case, actor=handler)
        if extend:
            s.request_extension(case, actor=handler, reason="Complex")
            s.approve_extension(case, actor=a(office.leader))
        s.submit_for_verification(case, actor=handler, note="Done", after=[png_bytes()])
        if rework:
            s.rework_case(case, actor=a(office.grid_worker), reason="Not yet")
            s.submit_for_verification(case, actor=handler, note="Done now", after=[png_bytes()])
        s.verify_case(case, actor=a(office.grid_worker))
        s.record_callback(case, actor=d, satisfaction=satisfaction, resolved=resolved)
        s.close_case(case, actor=d)

    now("2026-09-29 10:00")
    c1, c2, c3 = report(), report(), report()
    for case in (c1, c2, c3):
        s.register_case(case, actor=d)
        s.dispatch_case(case, office.dept_a, actor=d)
    now("2026-09-29 10:30")
    s.accept_case(c1, actor=ha)
    s.accept_case(c3, actor=ha)
    handle_and_close(c1, ha, "satisfied", True)
    handle_and_close(c3, ha, "dissatisfied", False, rework=True, extend=True)
    now("2026-09-29 11:30")  # half an hour after the acceptance limit
    s.return_case(c2, actor=ha, reason="Not ours")
    s.dispatch_case(c2, office.dept_b, actor=d)
    s.accept_case(c2, actor=hb)
    now("2026-10-20 10:00")  # long after the 5-working-day limit
    handle_and_close(c2, hb, "basically_satisfied", True)

    now("2026-11-03 10:00")  # outside the period
    late = report()
    s.register_case(late, actor=d)
    s.dispatch_case(late, office.dept_b, actor=d)
    return office


def test_rates_per_organisation(crafted):
    rows = {
        r.organisation: r
        for r in organisation_metrics(local("2026-09-01 00:00"), local("2026-11-01 00:00"))
    }
    urban, housing = rows["Urban management"], rows["Housing office"]
    assert urban.rates() == {
        "timely_acceptance_rate": pytest.approx(2 / 3, abs=1e-4),
        "on_time_closure_rate": 1.0,
        "resolution_rate": 0.5,
        "satisfaction_rate": 0.5,
        "rework_rate": 0.5,
        "extension_rate": 0.5,
        "return_rate": pytest.approx(1 / 3, abs=1e-4),
    }
    assert housing.rates() == {
        "timely_acceptance_rate": 1.0,
        "on_time_closure_rate": 0.0,
        "resolution_rate": 1.0,
        "satisfaction_rate": 1.0,
        "rework_rate": 0.0,
        "extension_rate": 0.0,
        "return_rate": 0.0,
    }
    assert housing.dispatched == 1  # November's dispatch is outside the period
    assert "Centre" not in rows


def test_an_empty_period_has_no_rows(crafted):
    assert organisation_metrics(local("2025-01-01 00:00"), local("2025-02-01 00:00")) == []


def test_excel_export(crafted):
    from openpyxl import load_workbook

    start, end = local("2026-09-01 00:00"), local("2026-11-01 00:00")
    data = export_xlsx(organisation_metrics(start, end), start, end)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Organisation"
    assert sheet["B2"].value == "Timely acceptance"
    names = [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)]
    assert set(names) == {"Urban management", "Housing office"}
    housing = names.index("Housing office") + 3
    assert sheet.cell(row=housing, column=3).value == 0.0  # on-time closure
    assert sheet.cell(row=housing, column=3).number_format == "0.0%"
