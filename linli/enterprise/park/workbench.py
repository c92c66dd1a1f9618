"""The Park Assistant's panel of the home page (``core.workbench``): a building manager's
requests waiting for an answer and how far their latest notices have been read
(``queries.requests_for`` and ``queries.notices_for``, as the portal reads them)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import display
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.enterprise.park import queries
from linli.enterprise.park.models import BuildingRequest

SHOWN = 5


@panel("park.manager", roles={Role.BUILDING_MANAGER}, order=20)
def manager(access: Access) -> PanelView:
    waiting = queries.requests_for(access, "manage").filter(status=BuildingRequest.Status.OPEN)
    notices = queries.notices_for(access, "manage")
    request_rows = [
        Item(
            title=r.title,
            url=reverse("park:requests", kwargs={"pk": r.building_id}),
            detail=r.enterprise.name if r.enterprise else "",
            when=display.moment(r.submitted_at),
            badge=r.get_status_display(),
            tone=WARN,
        )
        for r in waiting[:SHOWN]
    ]
    notice_rows = [
        Item(
            title=n.title,
            url=reverse("park:notice", kwargs={"pk": n.pk}),
            detail=n.building.name,
            when=display.moment(n.published_at),
            badge=_("read by %(read)s of %(total)s")
            % {"read": n.read_enterprise_count, "total": n.recipient_count},  # type: ignore[attr-defined]
        )
        for n in notices[:SHOWN]
    ]
    return PanelView(
        title=_("My building"),
        figures=[Figure(_("requests waiting for an answer"), waiting.count(), tone=WARN)],
        lists=[
            ItemList(_("Requests waiting"), request_rows, _("No request is waiting.")),
            ItemList(_("Latest notices"), notice_rows, _("No notice yet.")),
        ],
        links=[Link(_("Park Assistant"), reverse("park:home"), primary=True)],
    )
