"""The demo step: a year of events of every type with registrations, check-ins and ratings,
upcoming events with places for the demo accounts, and nothing twice on a second load."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, F, Q

from linli.core import clock
from linli.core.roles import Role
from linli.frontoffice.events import demo
from linli.frontoffice.events.models import SEATED, Event, Kind, Registration, State
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, plan_homes
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_a_year_of_events(centre, make_user):
    for _ in range(20):
        EnterpriseFactory(subdistrict=centre.subdistrict)
    make_user(
        Role.ENTERPRISE_MEMBER,
        centre.subdistrict,
        username="enterprise",
        enterprise=centre.enterprise,
    )
    ctx = DemoContext(
        home=plan_homes(1)[0],
        subdistrict=centre.subdistrict,
        places=None,  # type: ignore[arg-type]
        seed=DEMO_SEED,
    )
    assert not demo.loaded(ctx)
    written = demo.load(ctx)
    assert demo.loaded(ctx) and written > 1000
    now = clock.now()
    events = Event.objects.all()
    assert set(events.values_list("kind", flat=True)) == set(Kind.values)
    assert events.filter(starts_at__gt=now).count() >= 10
    assert events.filter(starts_at__lt=now - dt.timedelta(days=300)).exists()
    # Every event says what it is about and gives its agenda, from its start.
    assert not events.filter(description="").exists()
    training = events.filter(kind=Kind.TRAINING).first()
    assert training is not None
    assert training.agenda[0] == {
        "time": f"{clock.local(training.starts_at):%H:%M}",
        "title": "签到入场",
    }
    # Some events of the coming two months have not opened their signup yet.
    assert events.filter(registration_opens_at__gt=now).exists()
    states = Counter(Registration.objects.values_list("state", flat=True))
    assert states[State.CHECKED_IN] > 500 and states[State.CANCELLED] > 0
    assert Registration.objects.exclude(rating=None).filter(state=State.CHECKED_IN).count() > 200
    # Ratings only from people who came; never more seats than the event has.
    assert not Registration.objects.exclude(rating=None).exclude(state=State.CHECKED_IN).exists()
    overfull = Event.objects.annotate(
        seated=Count(
            "registrations",
            filter=Q(registrations__state__in=SEATED),
        )
    ).filter(seated__gt=F("capacity"))
    assert not overfull.exists()
    assert Registration.objects.filter(
        user__username="enterprise", event__starts_at__gt=now, state=State.CONFIRMED
    ).exists()
    # Attendance lists show people's names, not account handles.
    attendee = Registration.objects.filter(user__username__startswith="demo-").first().user
    assert attendee.display_name and str(attendee) == attendee.display_name
