"""The queue's panel of the home page (``core.workbench``): window staff's windows, with the
tickets waiting for the services each window serves today and the number it is serving.

The windows are those the person may work (``rules.may_work_counter``, as the counter console
lists them), the one assigned to them first; tickets are read through
``Ticket.objects.visible_to``."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import OK, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.frontoffice.queue import rules
from linli.frontoffice.queue.models import Counter, Ticket, TicketState

SHOWN = 4  # windows the panel lists


@panel("queue.windows", roles={Role.WINDOW_STAFF}, order=20)
def windows(access: Access) -> PanelView:
    day = clock.today()
    counters = (
        Counter.objects.visible_to(access).select_related("hall").prefetch_related("services")
    )
    mine = [
        c for c in counters.order_by("hall__name", "number") if rules.may_work_counter(access, c)
    ]
    user_id = access.user.pk if access.user is not None else None
    mine.sort(key=lambda c: c.staff_id != user_id)
    mine = mine[:SHOWN]
    tickets = Ticket.objects.visible_to(access).filter(day=day)
    service_ids = {s.pk for c in mine for s in c.services.all() if s.active}
    waiting = dict(
        tickets.filter(service_id__in=service_ids, state=TicketState.ISSUED)
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    )
    serving = {
        t.counter_id: t
        for t in tickets.filter(
            counter__in=mine, state__in=(TicketState.CALLED, TicketState.SERVING)
        ).select_related("service")
    }
    served = tickets.filter(counter__in=mine, state=TicketState.DONE).count()
    rows = []
    for counter in mine:
        served_here = [s for s in counter.services.all() if s.active]
        ahead = sum(waiting.get(s.pk, 0) for s in served_here)
        current = serving.get(counter.pk)
        rows.append(
            Item(
                title=f"{counter.hall.name} · {counter}",
                url=reverse("queue:counter", kwargs={"pk": counter.pk}),
                detail=" · ".join(f"{s.prefix} {s.name}" for s in served_here),
                when=(
                    _("now serving %(code)s") % {"code": current.code}
                    if current is not None
                    else _("%(count)s waiting") % {"count": ahead}
                ),
                badge=pgettext("window", "Open")
                if counter.is_open
                else pgettext("window", "Closed"),
                tone=OK if counter.is_open else (WARN if ahead else ""),
            )
        )
    return PanelView(
        title=_("My windows"),
        figures=[
            Figure(_("waiting for my windows"), sum(waiting.values()), tone=WARN),
            Figure(_("served at my windows today"), served),
        ],
        lists=[
            ItemList(
                _("Windows"),
                rows,
                _(
                    "No window is assigned to you. An administrator sets up windows and who "
                    "works them."
                ),
            )
        ],
        links=[Link(_("Counter console"), reverse("queue:console"), primary=True)],
    )
