"""Registering: seats in arrival order, then the waitlist; offers held for H hours; the
rules on who may register and how many per enterprise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core import clock
from linli.core.models import Notification
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Audience, Registration, State
from linli.frontoffice.events.tasks import expire_offers
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def people(centre, n: int) -> list:
    """``n`` residents, for public events."""
    users = []
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(user=user, subdistrict=centre.subdistrict, role="resident")
        users.append(user)
    return users


def test_seats_then_waitlist_in_arrival_order(centre, make_event):
    event = make_event(capacity=2, audience=Audience.PUBLIC)
    regs = [services.register(event, actor=centre.access(u)) for u in people(centre, 4)]
    assert [r.state for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.sequence for r in regs] == [1, 2, 3, 4]
    assert [services.waitlist_position(r) for r in regs] == [None, None, 1, 2]


def test_cancellation_offers_the_seat_to_the_next_in_line(centre, make_event):
    event = make_event(capacity=1, audience=Audience.PUBLIC, offer_hold_hours=6)
    first, second, third = (
        services.register(event, actor=centre.access(u)) for u in people(centre, 3)
    )
    services.cancel_registration(first, actor=centre.access(first.user))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.state == State.OFFERED
    assert third.state == State.WAITLISTED
    assert services.waitlist_position(third) == 1
    hold = second.offer_expires_at - clock.now()
    assert dt.timedelta(hours=5, minutes=59) < hold <= dt.timedelta(hours=6)
    assert Notification.objects.filter(user=second.user, title__contains="seat is free").exists()
    # The offered seat is held: a newcomer joins the waitlist behind the third person.
    (late,) = people(centre, 1)
    assert services.register(event, actor=centre.access(late)).state == State.WAITLISTED
    services.accept_offer(second, actor=centre.access(second.user))
    second.refresh_from_db()
    assert second.state == State.CONFIRMED


def test_an_expired_offer_goes_to_the_next_and_the_job_is_idempotent(centre, make_event):
    event = make_event(capacity=1, audience=Audience.PUBLIC, offer_hold_hours=2)
    first, second, third = (
        services.register(event, actor=centre.access(u)) for u in people(centre, 3)
    )
    services.cancel_registration(first, actor=centre.access(first.user))
    later = clock.now() + dt.timedelta(hours=3)
    assert services.expire_offers(later) == 1
    assert services.expire_offers(later) == 0
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.state == State.EXPIRED
    assert third.state == State.OFFERED
    with pytest.raises(ValidationError):
        services.accept_offer(second, actor=centre.access(second.user))
    # The periodic task runs the same verb (now: nothing due yet).
    assert expire_offers.call() == 0


def test_accepting_after_the_hold_is_refused(centre, make_event):
    event = make_event(capacity=1, audience=Audience.PUBLIC)
    first, second = (services.register(event, actor=centre.access(u)) for u in people(centre, 2))
    services.cancel_registration(first, actor=centre.access(first.user))
    Registration.objects.filter(pk=second.pk).update(
        offer_expires_at=clock.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.accept_offer(second, actor=centre.access(second.user))


def test_enterprise_seat_limit_and_duplicates(centre, make_event):
    event = make_event(capacity=10, seats_per_enterprise=1)
    ent = centre.enterprise.pk
    services.register(event, actor=centre.access(centre.member), enterprise_id=ent)
    with pytest.raises(ValidationError) as exc:
        services.register(event, actor=centre.access(centre.colleague), enterprise_id=ent)
    assert "enterprise" in exc.value.message_dict
    with pytest.raises(ValidationError, match="already registered"):
        services.register(event, actor=centre.access(centre.member), enterprise_id=ent)


def test_who_may_register(centre, make_event):
    event = make_event()
    with pytest.raises(ValidationError) as exc:
        services.register(event, actor=centre.access(centre.resident))
    assert "enterprise" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.register(
            event, actor=centre.access(centre.outsider), enterprise_id=centre.enterprise.pk
        )
    public = make_event(audience=Audience.PUBLIC)
    assert services.register(public, actor=centre.access(centre.resident)).state == "confirmed"


def test_registration_window(centre, make_event):
    now = clock.now()
    early = make_event(registration_opens_at=now + dt.timedelta(days=1), audience=Audience.PUBLIC)
    with pytest.raises(ValidationError, match="opens on"):
        services.register(early, actor=centre.access(centre.resident))
    closed = make_event(
        registration_opens_at=now - dt.timedelta(days=2),
        registration_closes_at=now - dt.timedelta(days=1),
        audience=Audience.PUBLIC,
    )
    with pytest.raises(ValidationError, match="closed"):
        services.register(closed, actor=centre.access(centre.resident))
    assert not Registration.objects.exists()


def test_approval_holds_a_seat_and_rejection_frees_it(centre, make_event):
    event = make_event(capacity=1, requires_approval=True, audience=Audience.PUBLIC)
    first, second = (services.register(event, actor=centre.access(u)) for u in people(centre, 2))
    assert (first.state, second.state) == (State.PENDING_APPROVAL, State.WAITLISTED)
    with pytest.raises(PermissionDenied):
        services.decide_registration(first, actor=centre.access(first.user), approve=True)
    services.decide_registration(first, actor=centre.access(centre.staff), approve=False)
    second.refresh_from_db()
    assert second.state == State.OFFERED
    services.accept_offer(second, actor=centre.access(second.user))
    second.refresh_from_db()
    assert second.state == State.CONFIRMED


def test_more_seats_are_offered_to_the_waitlist(centre, make_event):
    event = make_event(capacity=1, audience=Audience.PUBLIC)
    regs = [services.register(event, actor=centre.access(u)) for u in people(centre, 3)]
    event.capacity = 3
    services.save_event(event, actor=centre.access(centre.staff))
    states = [Registration.objects.get(pk=r.pk).state for r in regs]
    assert states == [State.CONFIRMED, State.OFFERED, State.OFFERED]


def test_event_validation_names_the_fields(centre, make_event):
    event = make_event()
    event.ends_at = event.starts_at - dt.timedelta(hours=1)
    event.registration_closes_at = event.starts_at + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.save_event(event, actor=centre.access(centre.staff))
    assert {"ends_at", "registration_closes_at"} <= set(exc.value.message_dict)


def test_cancelling_an_event_tells_everyone(centre, make_event):
    event = make_event(audience=Audience.PUBLIC)
    reg = services.register(event, actor=centre.access(centre.resident))
    services.cancel_event(event, actor=centre.access(centre.staff))
    reg.refresh_from_db()
    assert reg.state == State.CANCELLED
    assert Notification.objects.filter(user=centre.resident, title__startswith="Cancelled").exists()
