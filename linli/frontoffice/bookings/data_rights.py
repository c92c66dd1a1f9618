"""Bookings' part in personal-data rights (``core.data_rights``): what a person booked,
exported with the account; bookings name the person only through it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import Holder
from linli.frontoffice.bookings.models import Booking

data_rights.register(
    Holder(
        key="bookings.booking",
        label=_("Bookings"),
        model=Booking,
        find=lambda p: (
            Booking.objects.filter(booker=p.user).select_related("resource")
            if p.user is not None
            else None
        ),
        facts=lambda b: {
            "resource": b.resource.name,  # type: ignore[attr-defined]
            "start": b.start.isoformat(),  # type: ignore[attr-defined]
            "end": b.end.isoformat(),  # type: ignore[attr-defined]
            "state": str(b.get_state_display()),  # type: ignore[attr-defined]
            "purpose": b.purpose,  # type: ignore[attr-defined]
        },
    )
)
