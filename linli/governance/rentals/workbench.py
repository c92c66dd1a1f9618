"""Group rentals on the home page (``core.workbench``): for grid workers and the handlers who
see group rentals, the leads waiting for an inspection and the re-inspections coming due, read
through the same visibility as the pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import ALERT, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.governance.rentals import rules, statistics
from linli.governance.rentals.models import GroupRental
from linli.governance.rentals.services import address_of

SHOWN = 5
SOON_DAYS = 7


@panel(
    "rentals.files",
    roles={Role.GRID_WORKER, Role.HANDLER},
    order=70,
    applies=rules.may_see_rentals,
)
def follow_up(access: Access) -> PanelView:
    today = clock.today()
    files = GroupRental.objects.visible_to(access)
    leads = files.filter(stage=GroupRental.Stage.LEAD).count()
    due = statistics.reinspections_due(access, on=today, within_days=SOON_DAYS)
    items = [
        Item(
            title=address_of(r.group_rental.dwelling),
            url=reverse("rentals:detail", kwargs={"pk": r.group_rental_id}),
            when=r.due_on.isoformat(),
            badge=_("overdue") if r.due_on < today else "",
            tone=ALERT if r.due_on < today else WARN,
        )
        for r in due[:SHOWN]
    ]
    listing = reverse("rentals:list")
    return PanelView(
        title=_("Group rentals"),
        figures=[
            Figure(_("leads to inspect"), leads, url=f"{listing}?stage=lead", tone=WARN),
            Figure(
                _("open files"), files.exclude(stage=GroupRental.Stage.CLOSED).count(), url=listing
            ),
        ],
        lists=[
            ItemList(_("Re-inspections due within a week"), items, _("No re-inspection is due."))
        ],
        links=[Link(_("Record a lead"), reverse("rentals:find"), primary=True)],
    )
