"""The demo step: resources at the centre and each sub-centre, a year of bookings that never
overlap on one resource, with check-ins, no-shows (and their strikes) and cancellations; the
same seed gives the same year."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from linli.core.models import Subdistrict
from linli.frontoffice.bookings import demo
from linli.frontoffice.bookings.models import ACTIVE_STATES, Booking, Resource, State, Strike


@dataclass
class Context:
    """The part of the demo loader's context this step uses."""

    subdistrict: Subdistrict

    def rng(self, part: str) -> random.Random:
        return random.Random(f"7:test:{part}")


def test_demo_bookings(centre):
    centre.centre.code = demo.ENTERPRISE_CENTRE
    centre.centre.save()
    ctx = Context(centre.subdistrict)
    assert not demo.loaded(ctx)
    written = demo.load(ctx)
    assert demo.loaded(ctx) and written > 1000

    kinds = Counter(Resource.objects.values_list("place__kind", "kind"))
    assert kinds[("service_centre", "advisor")] == 4
    assert kinds[("service_centre", "window")] == 4
    assert Booking.objects.filter(resource__kind="window", state=State.COMPLETED).exists()
    assert kinds[("subcentre", "desk")] == 4 and kinds[("subcentre", "negotiation_room")] == 1
    # What a booker sees of the rooms: seats, equipment, the usual booking the form proposes.
    hall = Resource.objects.get(code="HY-1")
    assert hall.capacity == 40 and "投影仪" in hall.equipment
    assert hall.default_duration_minutes == 120
    assert all(r.equipment for r in Resource.objects.filter(kind__in=["meeting_room", "desk"]))
    usual = dict(Resource.objects.values_list("kind", "default_duration_minutes").distinct())
    assert usual["advisor"] == 30 and usual["window"] == 15 and usual["desk"] == 240

    states = Counter(Booking.objects.values_list("state", flat=True))
    total = sum(states.values())
    assert total > 1000
    for state in (State.COMPLETED, State.RELEASED_NO_SHOW, State.CANCELLED, State.CONFIRMED):
        assert states[state] > 0, state
    assert 0.6 < states[State.COMPLETED] / total < 0.9
    assert Strike.objects.count() == states[State.RELEASED_NO_SHOW]
    # Only members of Acme and Beta (in the sub-centre's building) booked the sub-centre.
    assert set(
        Booking.objects.filter(resource__place=centre.subcentre).values_list(
            "enterprise_id", flat=True
        )
    ) <= {centre.acme.pk, centre.beta.pk}

    active = sorted(
        Booking.objects.filter(state__in=ACTIVE_STATES).values_list(
            "resource_id", "blocked_start", "blocked_end"
        )
    )
    for (r1, _s1, e1), (r2, s2, _e2) in zip(active, active[1:], strict=False):
        assert r1 != r2 or e1 <= s2
    every = sorted(Booking.objects.values_list("resource_id", "blocked_start", "blocked_end"))
    for (r1, _s1, e1), (r2, s2, _e2) in zip(every, every[1:], strict=False):
        assert r1 != r2 or e1 <= s2

    first = list(Booking.objects.order_by("resource__code", "start").values_list("start", "state"))
    Strike.objects.all().delete()
    Booking.objects.all().delete()
    Resource.objects.all().delete()
    from linli.frontoffice.bookings.models import StrikeRule

    StrikeRule.objects.all().delete()
    demo.load(ctx)
    again = list(Booking.objects.order_by("resource__code", "start").values_list("start", "state"))
    assert again == first
