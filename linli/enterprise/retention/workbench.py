"""Retention's panel of the home page (``core.workbench``): a butler's visits due and the
demands raised in their visits that are still open.

Visits due come from ``queries.visits_due`` (the one place "a visit is due" is decided) over
the butler's portfolio (``Enterprise.objects.visible_to``); demands from
``VisitDemand.objects.visible_to``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases.models import FINAL_STATES
from linli.core import clock, display
from linli.core.access import Access
from linli.core.roles import Role
from linli.core.workbench import ALERT, WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.enterprise.retention.models import VisitDemand
from linli.enterprise.retention.queries import visits_due
from linli.registry.models import Enterprise

SHOWN = 6
AHEAD = dt.timedelta(days=30)  # visits due within this are listed with the overdue ones


@panel("retention.butler", roles={Role.BUTLER}, order=20)
def butler(access: Access) -> PanelView:
    today = clock.today()
    portfolio = list(
        Enterprise.objects.visible_to(access, "view_full")
        .filter(butler=access.user)
        .select_related("building")
    )
    due = visits_due(portfolio)
    names = {e.pk: e for e in portfolio}
    coming = sorted(
        ((names[pk], visit) for pk, visit in due.items() if visit.due_on <= today + AHEAD),
        key=lambda pair: pair[1].due_on,
    )
    overdue = sum(1 for _e, visit in coming if visit.overdue(today))
    visit_rows = [
        Item(
            title=enterprise.name,
            url=reverse("retention:profile", kwargs={"pk": enterprise.pk}),
            detail=enterprise.building.name if enterprise.building else "",
            when=_("visit due %(when)s")
            % {"when": display.days_from_today((visit.due_on - today).days)},
            badge=_("Overdue") if visit.overdue(today) else "",
            tone=ALERT if visit.overdue(today) else "",
        )
        for enterprise, visit in coming[:SHOWN]
    ]
    demands = (
        VisitDemand.objects.visible_to(access)
        .filter(visit__butler=access.user)
        .exclude(case__state__in=FINAL_STATES)
        .select_related("case", "visit__enterprise")
        .order_by("-visit__visited_on", "-id")
    )
    open_demands = demands.count()
    demand_rows = [
        Item(
            title=f"{d.case.number} {d.case.title}",
            url=reverse("cases:detail", kwargs={"number": d.case.number}),
            detail=d.visit.enterprise.name,
            when=_("raised %(day)s") % {"day": display.day(d.visit.visited_on)},
            badge=d.case.get_state_display(),
            tone=WARN,
        )
        for d in demands[:SHOWN]
    ]
    return PanelView(
        title=_("My enterprises"),
        figures=[
            Figure(
                _("enterprises in my portfolio"), len(portfolio), url=reverse("retention:portfolio")
            ),
            Figure(_("visits overdue"), overdue, url=reverse("retention:overdue"), tone=ALERT),
            Figure(_("visits due in 30 days"), len(coming) - overdue),
            Figure(_("open demands"), open_demands, tone=WARN),
        ],
        lists=[
            ItemList(
                _("Visits due"),
                visit_rows,
                _("No visit is due in the next 30 days."),
                more=Link(_("All overdue visits"), reverse("retention:overdue")),
            ),
            ItemList(_("Open demands from my visits"), demand_rows, _("No demand is open.")),
        ],
    )
