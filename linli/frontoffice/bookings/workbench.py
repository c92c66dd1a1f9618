"""Bookings' panel of the home page (``core.workbench``): an enterprise's coming bookings
(``queries.my_bookings``: the person's own and their enterprise's)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock, display
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import OK, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.frontoffice.bookings import queries
from linli.frontoffice.bookings.models import ACTIVE_STATES, State

SHOWN = 5


@panel("bookings.upcoming", roles={Role.ENTERPRISE_MEMBER}, order=50)
def upcoming(access: Access) -> PanelView:
    coming = queries.my_bookings(access).filter(end__gt=clock.now(), state__in=ACTIVE_STATES)
    shown = list(coming.order_by("start", "pk")[:SHOWN])
    rows = [
        Item(
            title=b.resource.name,
            url=reverse("bookings:detail", kwargs={"pk": b.pk}),
            detail=b.resource.place.name,
            when=display.moment(b.start),
            badge=b.get_state_display(),
            tone=WARN if b.state == State.PENDING_APPROVAL else OK,
        )
        for b in shown
    ]
    return PanelView(
        title=_("Our bookings"),
        figures=[Figure(_("coming bookings"), coming.count(), url=reverse("bookings:mine"))],
        lists=[
            ItemList(
                _("Next bookings"),
                rows,
                _("Nothing booked."),
                more=Link(_("All my bookings"), reverse("bookings:mine")),
            )
        ],
        links=[Link(_("Book a room"), reverse("bookings:grid"))],
    )
