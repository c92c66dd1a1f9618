"""The patrol pages as a grid worker uses them, and the coverage figures with their export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.core import clock
from linli.governance.patrols import coverage, services
from linli.governance.patrols.coverage import Month, planned
from linli.governance.patrols.models import CheckIn, Patrol, PatrolPlan

pytestmark = pytest.mark.django_db


def test_the_phone_page_checks_in_and_says_when_away(beat, client_for, subdistrict):
    client = client_for(beat.worker)
    started = client.post(reverse("patrols:start", kwargs={"pk": beat.plan.pk}))
    with scope(subdistrict=subdistrict):
        patrol = Patrol.objects.get()
        gate, building, _market = beat.plan.points.all()
    assert started["Location"] == reverse("patrols:patrol", kwargs={"pk": patrol.pk})
    check_in = reverse("patrols:check_in", kwargs={"pk": patrol.pk})
    client.post(check_in, {"point": gate.pk, "lon": "121.4550", "lat": "31.2350"})
    page = client.post(
        check_in, {"point": building.pk, "lon": "121.4550", "lat": "31.2350"}, follow=True
    )
    text = page.content.decode()
    assert "recorded as away" in text
    assert "Checked in at 2 of 3 points" in text
    with scope(subdistrict=subdistrict):
        results = dict(CheckIn.objects.values_list("point__name", "result"))
    assert results == {"Gate of Jade Garden": "at_point", "Building 5": "away"}


def test_a_finding_page_opens_a_case_and_lists_it_on_the_patrol(beat, client_for, subdistrict):
    client = client_for(beat.worker)
    client.post(reverse("patrols:start", kwargs={"pk": beat.plan.pk}))
    with scope(subdistrict=subdistrict):
        patrol = Patrol.objects.get()
    url = reverse("patrols:finding", kwargs={"pk": patrol.pk})
    assert client.get(url).status_code == 200
    refused = client.post(url, {"description": "Something"})
    assert refused.status_code == 200
    with scope(subdistrict=subdistrict):
        assert patrol.findings.count() == 0
    done = client.post(
        url,
        {
            "category": beat.category.code,
            "description": "Rubbish at the gate",
            "lon": "121.4551",
            "lat": "31.2351",
        },
        follow=True,
    )
    with scope(subdistrict=subdistrict):
        number = patrol.findings.get().case.number
    assert number in done.content.decode()


def test_a_grid_worker_cannot_open_another_grids_patrol(beat, as_, client_for, subdistrict):
    with scope(subdistrict=subdistrict):
        theirs = services.start_patrol(actor=as_(beat.other_worker), plan=beat.other_plan)
    client = client_for(beat.worker)
    assert client.get(reverse("patrols:patrol", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("patrols:plan", kwargs={"pk": beat.other_plan.pk})).status_code == 404


def test_planned_patrols_count_the_days_gone_and_the_plans_start():
    month = Month.of(dt.date(2026, 11, 20))
    assert planned(7, dt.date(2026, 1, 1), month, dt.date(2026, 11, 14)) == 14
    assert planned(7, dt.date(2026, 11, 11), month, dt.date(2026, 12, 5)) == 20
    assert planned(3, dt.date(2026, 1, 1), month, dt.date(2026, 12, 5)) == 13
    assert planned(7, dt.date(2026, 12, 1), month, dt.date(2026, 12, 5)) == 0


def test_coverage_per_grid_and_worker(beat, as_, client_for, subdistrict):
    with scope(subdistrict=subdistrict):
        # The plan dates from before the month: every day of it so far counts.
        month_start = dt.datetime.combine(
            clock.today().replace(day=1), dt.time(8), clock.local_zone()
        )
        PatrolPlan.objects.filter(pk=beat.plan.pk).update(
            created_at=month_start - dt.timedelta(days=40)
        )
        worker = as_(beat.worker)
        gate, building, _market = beat.plan.points.all()
        first = services.start_patrol(actor=worker, plan=beat.plan)
        services.check_in(actor=worker, patrol=first, point=gate, lon=121.455, lat=31.235)
        services.check_in(actor=worker, patrol=first, point=building)
        services.report_finding(
            actor=worker, patrol=first, category=beat.category, description="Rubbish", point=gate
        )
        services.end_patrol(actor=worker, patrol=first)
        second = services.start_patrol(actor=worker, plan=beat.plan)
        services.check_in(actor=worker, patrol=second, point=gate, lon=121.4592, lat=31.235)
        services.end_patrol(actor=worker, patrol=second)
        grids = {g.grid: g for g in coverage.by_grid(as_(beat.leader))}
        workers = coverage.by_worker(as_(beat.leader))
        own = coverage.by_grid(worker)
    one = grids[str(beat.grid)]
    days = clock.today().day
    assert (one.done, one.planned) == (2, days)  # daily, every day of the month so far
    assert (one.points, one.points_checked, one.check_ins) == (3, 2, 3)
    assert (one.away, one.no_location, one.findings) == (1, 1, 1)
    assert grids[str(beat.other_grid)].done == 0
    assert [(w.worker, w.done, w.at_point, w.findings) for w in workers] == [("gw", 2, 1, 1)]
    assert [g.grid for g in own] == [str(beat.grid)]
    sheet = load_workbook(
        io.BytesIO(client_for(beat.leader).get(reverse("patrols:coverage_xlsx")).content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == [str(beat.grid), days, 2]
