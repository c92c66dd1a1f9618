"""The audit actions of bookings (``linli.core.audit``)."""

from django.utils.translation import pgettext_lazy

from linli.core.audit import declare

declare(
    "bookings",
    {
        "booking.book": pgettext_lazy("audit", "Booking requested"),
        "booking.approve": pgettext_lazy("audit", "Booking approved"),
        "booking.reject": pgettext_lazy("audit", "Booking rejected"),
        "booking.cancel": pgettext_lazy("audit", "Booking cancelled"),
        "booking.check_in": pgettext_lazy("audit", "Checked in to a booking"),
        "booking.release_no_show": pgettext_lazy("audit", "Booking released: nobody came"),
        "booking.complete": pgettext_lazy("audit", "Booking completed"),
        "resource.create": pgettext_lazy("audit", "Bookable resource created"),
        "resource.update": pgettext_lazy("audit", "Bookable resource changed"),
        "resource.rotate_tokens": pgettext_lazy("audit", "Check-in codes renewed"),
        "feed.rotate": pgettext_lazy("audit", "Calendar feed link renewed"),
    },
)
