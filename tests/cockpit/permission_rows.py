"""Rows of the permission matrix for the cockpit (see tests/core/matrix.py).

Leaders, administrators and butlers see every building's dashboard and the ranking; the
world's building manager sees their own building (A's building) and is sent there from the
ranking page; everyone else is refused. B's administrator gets 404 for A's building.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cockpit.models import AlertRule, Report, ReportSchedule
from linli.core.roles import ADMINS, Role
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

SEES_ALL = ADMINS | {Role.LEADER, Role.BUTLER}
BM = Role.BUILDING_MANAGER


def building_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.a.records["building"].pk})

    return url


LEADS = ADMINS | {Role.LEADER}


def populate(world: World) -> None:
    """An alert rule of A's leader, for switching it off."""
    with scopes_disabled():
        rule = AlertRule.objects.create(
            subdistrict=world.a.subdistrict,
            indicator="cases.overdue",
            comparison="above",
            threshold=Decimal(5),
        )
        rule.recipients.set([world.users[Role.LEADER]])
    world.extra["alert_rule"] = rule.pk
    schedule = ReportSchedule.objects.create(
        subdistrict=world.a.subdistrict,
        name="Weekly",
        indicators=["cases.overdue"],
        frequency="weekly",
    )
    schedule.recipients.set([world.users[Role.LEADER]])
    world.extra["report_schedule"] = schedule.pk
    world.extra["report"] = Report.objects.create(
        subdistrict=world.a.subdistrict,
        kind="monthly",
        title="Monthly report 2026-11",
        period_start="2026-11-01",
        period_end="2026-11-30",
        pdf=b"%PDF-1.4",
        xlsx=b"PK",
    ).pk


def report_url(name: str):
    return lambda world, who: reverse(name, args=[world.extra["report"]])


ENDPOINTS: list[Endpoint] = [
    Endpoint("cockpit:overview", "GET", fixed("cockpit:overview"), statuses(LEADS)),
    Endpoint("cockpit:screen", "GET", fixed("cockpit:screen"), statuses(LEADS)),
    # Nobody of the world belongs to a district: the roll-up is absent for all of them
    # (tests/cockpit/test_district.py has the district's people).
    Endpoint(
        "cockpit:district", "GET", fixed("cockpit:district"), statuses(set(), denied=404, other=404)
    ),
    Endpoint("cockpit:alerts", "GET", fixed("cockpit:alerts"), statuses(LEADS)),
    Endpoint(
        "cockpit:deactivate_alert",
        "POST",
        lambda w, who: reverse("cockpit:deactivate_alert", args=[w.extra["alert_rule"]]),
        statuses(LEADS, 302, denied=404, other=404),
    ),
    Endpoint("cockpit:reports", "GET", fixed("cockpit:reports"), statuses(LEADS)),
    Endpoint(
        "cockpit:report_pdf", "GET", report_url("cockpit:report_pdf"), statuses(LEADS, other=404)
    ),
    Endpoint(
        "cockpit:report_xlsx",
        "GET",
        report_url("cockpit:report_xlsx"),
        statuses(LEADS, other=404),
    ),
    Endpoint(
        "cockpit:deactivate_report_schedule",
        "POST",
        lambda w, who: reverse(
            "cockpit:deactivate_report_schedule", args=[w.extra["report_schedule"]]
        ),
        statuses(LEADS, 302, denied=404, other=404),
    ),
    Endpoint(
        "cockpit:indicator",
        "GET",
        lambda w, who: reverse("cockpit:indicator", args=["cases.overdue"]),
        statuses(LEADS),
    ),
    Endpoint("cockpit:index", "GET", fixed("cockpit:index"), {**statuses(SEES_ALL), BM: 302}),
    Endpoint("cockpit:export", "GET", fixed("cockpit:export"), statuses(SEES_ALL)),
    Endpoint(
        "cockpit:building",
        "GET",
        building_url("cockpit:building"),
        statuses(SEES_ALL | {BM}, other=404),
    ),
    Endpoint(
        "api:list_cockpit_buildings",
        "GET",
        fixed("api:list_cockpit_buildings"),
        statuses(SEES_ALL, anonymous=401),
    ),
    Endpoint(
        "api:get_cockpit_building",
        "GET",
        building_url("api:get_cockpit_building"),
        statuses(SEES_ALL | {BM}, anonymous=401, other=404),
    ),
]
