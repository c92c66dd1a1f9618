"""The counters on the event row (seats held, waitlist, last arrival number), which registering
decides by, always equal what the registrations say, whichever verbs ran."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Max

from linli.core import clock
from linli.core.models import AuditEntry
from linli.frontoffice.events import services
from linli.frontoffice.events.models import SEATED, Audience, Event, Registration, State
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def people(centre, n: int) -> list:
    users = []
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(user=user, subdistrict=centre.subdistrict, role="resident")
        users.append(user)
    return users


def assert_counted(event: Event) -> None:
    event.refresh_from_db()
    rows = Registration.objects.filter(event=event)
    states = dict(rows.values_list("state").annotate(n=Count("pk")))
    assert event.seats_held == sum(states.get(s, 0) for s in SEATED), states
    assert event.waitlist_length == states.get(State.WAITLISTED, 0), states
    assert event.last_sequence == rows.count()
    assert event.last_registered_at == rows.aggregate(at=Max("registered_at"))["at"]


def test_counters_follow_every_verb(centre, make_event):
    event = make_event(capacity=2, audience=Audience.PUBLIC, requires_approval=True)
    staff = centre.access(centre.staff)
    a, b, c, d, e, f = people(centre, 6)
    ra, rb, rc, rd = (services.register(event, actor=centre.access(u)) for u in (a, b, c, d))
    assert [r.state for r in (ra, rb, rc, rd)] == [State.PENDING_APPROVAL] * 2 + [
        State.WAITLISTED
    ] * 2
    assert ra.arrival_waitlist_position is None
    assert (rc.arrival_waitlist_position, rd.arrival_waitlist_position) == (1, 2)
    assert_counted(event)

    services.decide_registration(ra, actor=staff, approve=True)
    assert_counted(event)
    services.decide_registration(rb, actor=staff, approve=False)  # c is offered the seat
    rc.refresh_from_db()
    assert rc.state == State.OFFERED
    assert_counted(event)
    services.accept_offer(rc, actor=centre.access(c))
    assert_counted(event)

    # Refused attempts change nothing, not even the arrival number.
    with pytest.raises(ValidationError, match="already registered"):
        services.register(event, actor=centre.access(d))
    assert_counted(event)

    services.cancel_registration(rc, actor=centre.access(c))  # d is offered the seat
    rd.refresh_from_db()
    assert rd.state == State.OFFERED
    assert_counted(event)
    re = services.register(event, actor=centre.access(e))
    assert re.state == State.WAITLISTED and re.arrival_waitlist_position == 1
    assert_counted(event)

    assert services.expire_offers(clock.now() + dt.timedelta(days=2)) == 1  # d's; e is offered
    assert_counted(event)
    services.cancel_registration(re, actor=staff)  # declines the offer: nobody is waiting
    assert_counted(event)
    assert event.seats_held == 1 and event.waitlist_length == 0

    event.capacity = 3
    services.save_event(event, actor=staff)
    rf = services.register(event, actor=centre.access(f))
    assert rf.state == State.PENDING_APPROVAL
    assert_counted(event)

    services.cancel_event(event, actor=staff)
    assert_counted(event)
    assert (event.seats_held, event.waitlist_length, event.last_sequence) == (0, 0, 6)
    with pytest.raises(ValidationError, match="cancelled"):
        services.register(event, actor=centre.access(people(centre, 1)[0]))
    # Every registration was audited once, with the state it got.
    created = AuditEntry.objects.filter(action="events.registration.create")
    assert sorted(created.values_list("after__state", flat=True)) == sorted(
        [State.PENDING_APPROVAL] * 3 + [State.WAITLISTED] * 3
    )
    assert {int(i) for i in created.values_list("object_id", flat=True)} == {
        r.pk for r in (ra, rb, rc, rd, re, rf)
    }


def test_a_newcomer_waits_behind_a_seat_on_offer(centre, make_event):
    """A seat on offer is held: the newcomer joins the waitlist, the line stays in order."""
    event = make_event(capacity=1, audience=Audience.PUBLIC)
    first, second, third = (
        services.register(event, actor=centre.access(u)) for u in people(centre, 3)
    )
    services.cancel_registration(first, actor=centre.access(first.user))
    late = services.register(event, actor=centre.access(people(centre, 1)[0]))
    assert late.state == State.WAITLISTED and late.arrival_waitlist_position == 2
    assert services.waitlist_position(late) == 2
    assert late.sequence == 4
    assert_counted(event)
