"""An enterprise's bookings on its timeline (registered in ``BookingsConfig.ready``).

Whose timeline: the enterprises whose own business the person sees (the registry's
``view_full`` audience); which bookings: those the bookings policy lets them see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import visibility
from linli.frontoffice.bookings.checks import shown
from linli.frontoffice.bookings.models import Booking
from linli.registry.timeline import TimelineEntry, timeline_provider

if TYPE_CHECKING:
    from linli.core.access import Access
    from linli.registry.models import Enterprise

TIMELINE_LIMIT = 50


@timeline_provider
def booking_entries(enterprise: Enterprise, access: Access) -> Iterable[TimelineEntry]:
    """The enterprise's latest bookings."""
    if not visibility.allows(access, enterprise, "view_full"):
        return []
    bookings = (
        Booking.objects.visible_to(access)
        .filter(enterprise=enterprise)
        .select_related("resource", "resource__place")
        .order_by("-start")[:TIMELINE_LIMIT]
    )
    return [
        TimelineEntry(
            at=b.start,
            kind="booking",
            title=_("%(resource)s booked (%(state)s)")
            % {"resource": b.resource.name, "state": b.get_state_display()},
            detail=f"{shown(b.start)} · {b.resource.place}",
            url=reverse("bookings:detail", kwargs={"pk": b.pk}),
        )
        for b in bookings
    ]
