"""The queue step of the demo on a small sub-district: halls for the centre and a sub-centre,
the demo window account at window 1, four weeks of working days played by the call rules."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict
from linli.core.roles import Role
from linli.frontoffice.bookings import demo as bookings_demo
from linli.frontoffice.bookings.models import Booking
from linli.frontoffice.queue import demo, statistics
from linli.frontoffice.queue.models import Counter, Hall, Ticket, TicketState
from linli.registry.demo.organisations import ENTERPRISE_CENTRE
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@dataclass
class Context:
    subdistrict: Subdistrict

    def rng(self, part: str) -> random.Random:
        return random.Random(f"test:{part}")


@pytest.fixture
def loaded(subdistrict, now):
    now("2026-11-27 12:00")
    with scopes_disabled():
        centre = OrganisationFactory(
            subdistrict=subdistrict,
            code=ENTERPRISE_CENTRE,
            kind=Organisation.Kind.SERVICE_CENTRE,
            name="企业服务中心",
        )
        OrganisationFactory(
            subdistrict=subdistrict,
            code="FZX01",
            kind=Organisation.Kind.SUBCENTRE,
            parent=centre,
            name="企业服务中心晶品分中心",
        )
        window = UserFactory(username="window")
        MembershipFactory(
            user=window, subdistrict=subdistrict, role=Role.WINDOW_STAFF, organisation=centre
        )
    with scope(subdistrict=subdistrict):
        ctx = Context(subdistrict)
        assert not demo.loaded(ctx)
        written = demo.load(ctx)
        assert demo.loaded(ctx)
        yield written, window


def test_halls_windows_and_the_demo_window_account(loaded, subdistrict):
    written, window = loaded
    assert Hall.objects.count() == 2
    assert Counter.objects.get(hall__organisation__code=ENTERPRISE_CENTRE, number=1).staff == window
    assert Counter.objects.filter(staff__isnull=False).count() == 1
    assert written > Ticket.objects.count() > 20 * 80


def test_four_weeks_of_working_days_played_by_the_rules(loaded, subdistrict):
    days = sorted(set(Ticket.objects.values_list("day", flat=True)))
    assert len(days) == demo.DAYS
    assert days[-1] < dt.date(2026, 11, 27)
    assert all(day.weekday() < 5 for day in days)  # no weekend in November 2026 is a workday
    assert not Ticket.objects.filter(state__in=("issued", "called", "serving")).exists()
    lines = defaultdict(list)
    for t in Ticket.objects.order_by("called_at", "id"):
        lines[(t.service_id, t.day, t.kind)].append(t.number)
    # Within a service, a day and a kind, numbers are called in the order they were taken.
    assert all(numbers == sorted(numbers) for numbers in lines.values())
    assert Ticket.objects.filter(kind="priority").count() > 100


def test_the_statistics_look_like_a_working_centre(loaded, subdistrict):
    system = Access.system(subdistrict)
    stats = statistics.statistics(dt.date(2026, 10, 1), dt.date(2026, 11, 27), access=system)
    assert stats.total.tickets == Ticket.objects.count()
    assert 0 < stats.total.no_shows < stats.total.tickets * 0.1
    assert 1 < stats.total.mean_service_minutes < 15
    assert stats.total.mean_wait_minutes > 0
    assert {g.label.split(" · ", 1)[1] for g in stats.by_service} >= {
        "A · 企业登记",
        "D · 政策咨询",
    }
    assert len(stats.by_counter) == 7
    assert Ticket.objects.filter(state=TicketState.NO_SHOW, started_at__isnull=False).count() == 0


def test_appointments_kept_in_the_bookings_demo_are_tickets_of_their_day(subdistrict, now):
    """Bookings demo first (its window slots CK-A…CK-D at the centre), then the queue: every
    checked-in window booking of the played days is an appointment ticket of its service, in
    the statistics with the rest."""
    now("2026-11-27 12:00")
    with scopes_disabled():
        centre = OrganisationFactory(
            subdistrict=subdistrict,
            code=ENTERPRISE_CENTRE,
            kind=Organisation.Kind.SERVICE_CENTRE,
            name="企业服务中心",
        )
        window = UserFactory(username="window")
        MembershipFactory(
            user=window, subdistrict=subdistrict, role=Role.WINDOW_STAFF, organisation=centre
        )
        EnterpriseFactory(subdistrict=subdistrict)
    with scope(subdistrict=subdistrict):
        ctx = Context(subdistrict)
        bookings_demo.load(ctx)
        demo.load(ctx)
        appointments = Ticket.objects.filter(kind="appointment").select_related("service")
        days = set(Ticket.objects.values_list("day", flat=True))
        kept = Booking.objects.filter(
            resource__kind="window", checked_in_at__isnull=False, start__date__in=days
        )
        assert appointments.count() == kept.count() > 20
        for ticket in appointments:
            booking = kept.get(pk=ticket.booking_ref)
            assert booking.resource.code == ticket.service.appointment_resource
            assert (ticket.slot_start, ticket.issued_at) == (booking.start, booking.checked_in_at)
        stats = statistics.statistics(min(days), max(days), access=Access.system(subdistrict))
        assert stats.total.tickets == Ticket.objects.count()
