"""The events list as an Excel workbook: the rows of the page with the same filters, times in
Shanghai time, text written as text (``linli.core.spreadsheets``). Those who read attendance
get the registration figures of each event as well."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core.spreadsheets import rows_to_xlsx
from linli.frontoffice.events.availability import local_time, seats_left, seats_taken
from linli.frontoffice.events.models import Event


def events_xlsx(events: Iterable[Event], *, with_figures: bool) -> bytes:
    """``with_figures``: the events carry ``statistics.FIGURES`` annotations."""
    header = [
        "id",
        _("Title"),
        _("Type"),
        _("Open to"),
        _("Place"),
        _("Room"),
        _("Starts"),
        _("Ends"),
        _("Registration opens"),
        _("Registration closes"),
        _("Seats"),
        _("Seats taken"),
        _("Seats left"),
        _("Cancelled"),
    ]
    if with_figures:
        header += [
            pgettext("event registrations", "Registered"),
            _("Confirmed"),
            _("Checked in"),
            _("Waitlisted"),
        ]
    rows = []
    for e in events:
        row: list[object] = [
            e.pk,
            e.title,
            e.get_kind_display(),
            e.get_audience_display(),
            e.place.name,
            e.room,
            local_time(e.starts_at),
            local_time(e.ends_at),
            local_time(e.registration_opens_at),
            local_time(e.registration_closes_at),
            e.capacity,
            seats_taken(e),
            seats_left(e),
            local_time(e.cancelled_at) if e.cancelled_at else "",
        ]
        if with_figures:
            figures = e.__dict__
            row += [
                figures["registered"],
                figures["confirmed"],
                figures["checked_in"],
                figures["waitlisted"],
            ]
        rows.append(row)
    return rows_to_xlsx(_("Events"), [header, *rows])
