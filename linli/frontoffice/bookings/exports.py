"""The bookings list as an Excel workbook: the rows of the page, with the same filters, times
in Shanghai time, every text written as text (``linli.core.spreadsheets``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.spreadsheets import rows_to_xlsx
from linli.frontoffice.bookings.models import Booking


def _moment(value: dt.datetime | None) -> str:
    return f"{clock.local(value):%Y-%m-%d %H:%M}" if value is not None else ""


def bookings_xlsx(bookings: Iterable[Booking]) -> bytes:
    header = [
        "id",
        _("Starts"),
        _("Ends"),
        _("Resource code"),
        _("Resource"),
        _("Place"),
        _("Kind"),
        _("State"),
        _("On behalf of"),
        _("Booked by"),
        _("Purpose"),
        _("Checked in"),
        _("Reason"),
        _("Booked at"),
    ]
    rows = [
        [
            b.pk,
            _moment(b.start),
            _moment(b.end),
            b.resource.code,
            b.resource.name,
            b.resource.place.name,
            b.resource.get_kind_display(),
            b.get_state_display(),
            b.enterprise.name if b.enterprise is not None else "",
            b.booker.get_full_name() or b.booker.get_username(),
            b.purpose,
            _moment(b.checked_in_at),
            b.reason,
            _moment(b.created_at),
        ]
        for b in bookings
    ]
    return rows_to_xlsx(_("Bookings"), [header, *rows])
