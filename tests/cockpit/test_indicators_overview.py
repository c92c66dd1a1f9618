"""The overview with the economy, front-office, policy and life-circle indicators: every one on
the page with its definition, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from linli.cockpit.indicators import INDICATORS
from linli.core.models import Organisation
from linli.enterprise.retention.models import RiskSnapshot
from linli.frontoffice.bookings.models import Booking, Resource
from linli.frontoffice.queue.models import Hall, Service, Ticket
from linli.policies.models import Decision, ScreeningRun
from linli.registry.models import BuildingTaxYear
from tests.cases.conftest import local
from tests.cockpit.test_indicators_policies import version
from tests.factories import BuildingFactory, EnterpriseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.usefixtures("in_scope")
AREAS = ("economy.", "frontoffice.", "policies.", "lifecircle.")


def test_every_indicator_is_on_the_page_with_its_definition(towers, leader, client_for):
    page = client_for(leader.user).get(reverse("cockpit:overview"), {"month": "2025-06"})
    assert page.status_code == 200
    text = page.content.decode()
    ours = [item for key, item in INDICATORS.items() if key.startswith(AREAS)]
    assert len(ours) >= 17
    for item in ours:
        assert f'data-key="{item.key}"' in text
        detail = client_for(leader.user).get(reverse("cockpit:indicator", args=[item.key]))
        assert detail.status_code == 200
        assert str(escape(str(item.formula))) in detail.content.decode()


def test_the_overview_runs_the_same_queries_whatever_the_data_size(
    subdistrict, towers, leader, client_for
):
    client = client_for(leader.user)
    url = reverse("cockpit:overview") + "?month=2025-06"

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    subcentre = OrganisationFactory(subdistrict=subdistrict, kind=Organisation.Kind.SUBCENTRE)
    hall = Hall.objects.create(subdistrict=subdistrict, organisation=subcentre, name="Hall")
    service = Service.objects.create(subdistrict=subdistrict, hall=hall, prefix="A", name="Tax")
    room = Resource.objects.create(
        subdistrict=subdistrict, kind="meeting_room", code="R1", name="R1", place=subcentre
    )
    booker = UserFactory()
    rent = version("rent", "Rent subsidy", "apply")
    run = ScreeningRun.objects.create(
        subdistrict=subdistrict,
        trigger="nightly",
        started_at=local("2025-06-01 02:00"),
        finished_at=local("2025-06-01 02:05"),
        evaluated_on=dt.date(2025, 6, 1),
    )

    def grow(n: int) -> None:
        """One more of everything the indicators count, in June 2025."""
        moment = local(f"2025-06-{n + 2:02d} 10:00")
        Ticket.objects.create(
            subdistrict=subdistrict,
            service=service,
            day=moment.date(),
            number=n + 1,
            state="done",
            queued_at=moment,
            issued_at=moment,
            called_at=moment + dt.timedelta(minutes=n + 1),
        )
        Booking.objects.create(
            subdistrict=subdistrict,
            resource=room,
            booker=booker,
            start=moment,
            end=moment + dt.timedelta(hours=1),
            blocked_start=moment,
            blocked_end=moment + dt.timedelta(hours=1),
            state="completed",
        )
        building = BuildingFactory(subdistrict=subdistrict, floor_area_m2=Decimal(1000))
        BuildingTaxYear.objects.create(
            subdistrict=subdistrict, building=building, year=2025, tax=Decimal(100 + n)
        )
        enterprise = EnterpriseFactory(
            subdistrict=subdistrict, building=building, founded_on=dt.date(2025, 6, 2)
        )
        RiskSnapshot.objects.create(
            subdistrict=subdistrict, enterprise=enterprise, on=dt.date(2025, 6, 30), score=40
        )
        Decision.objects.create(
            subdistrict=subdistrict,
            run=run,
            enterprise=enterprise,
            policy_version=rent,
            policy_id="rent",
            status="eligible",
            rule_hash=rent.rule_hash,
            evaluated_on=run.evaluated_on,
        )

    grow(0)  # a snapshot and a called ticket: without them two figures stop a query early
    queries()  # the first request after signing in also saves the session
    few = queries()
    for n in range(1, 7):
        grow(n)
    assert queries() == few
