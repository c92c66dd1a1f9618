"""The residents' panel of the home page (``core.workbench``) for residents' committee staff: the
moves of the last weeks in their quarters, the tags that expire this month, and how many
residents aged 80 and over live alone there (a link to that search).

Everything reads through the app's own ``visible_to`` (``rules.py``) and the search's filters
(``filters.py``), so the panel counts exactly what the staff member can open."""

from __future__ import annotations

import calendar
import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from linli.core import clock, display
from linli.core.access import Access
from linli.core.roles import STAFF
from linli.core.workbench import WARN, Figure, Item, ItemList, Link, PanelView, panel
from linli.people import rules
from linli.people.filters import PersonFilter, found
from linli.people.models import LifeEvent, Person, PersonTag

SHOWN = 6
RECENT = dt.timedelta(days=30)
# The search behind the figure of the elderly living alone (its link and its count).
ALONE = {"tag": "living_alone", "aged_from": "80", "status": Person.Status.LIVING.value}
MOVES = (LifeEvent.Kind.MOVED_IN, LifeEvent.Kind.MOVED_OUT, LifeEvent.Kind.DIED)


def is_committee_staff(access: Access) -> bool:
    return bool(rules.committees_of(access))


@panel("people.committee", roles=STAFF, order=25, applies=is_committee_staff)
def committee(access: Access) -> PanelView:
    today = clock.today()
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    living = found(access, PersonFilter.model_validate({"status": Person.Status.LIVING}))
    alone = found(access, PersonFilter.model_validate(ALONE))
    moves = (
        LifeEvent.objects.visible_to(access)
        .filter(kind__in=MOVES, on__gte=today - RECENT, on__lte=today, person__isnull=False)
        .select_related("person")
        .order_by("-on", "-pk")
    )
    expiring = (
        PersonTag.objects.visible_to(access)
        .filter(
            ended_on__isnull=True,
            valid_until__gte=today,
            valid_until__lte=month_end,
            person__status=Person.Status.LIVING,
            person__archived_on__isnull=True,
        )
        .select_related("person", "kind")
        .order_by("valid_until", "pk")
    )
    search = reverse("people:search")
    return PanelView(
        title=_("Residents of my quarters"),
        figures=[
            Figure(_("residents living here"), living.count(), url=f"{search}?status=living"),
            Figure(
                _("aged 80 and over, living alone"),
                alone.count(),
                url=f"{search}?{urlencode(ALONE)}",
                tone=WARN,
            ),
            Figure(_("tags expiring this month"), expiring.count()),
        ],
        lists=[
            ItemList(
                _("Moves in the last 30 days"),
                [
                    Item(
                        title=e.person.name if e.person else "",
                        url=reverse("people:person", kwargs={"pk": e.person_id}),
                        detail=e.get_kind_display(),
                        when=display.day(e.on),
                    )
                    for e in moves[:SHOWN]
                ],
                _("Nobody moved in or out in the last 30 days."),
            ),
            ItemList(
                _("Tags expiring this month"),
                [
                    Item(
                        title=t.person.name,
                        url=reverse("people:person", kwargs={"pk": t.person_id}),
                        detail=f"{t.kind} {t.grade}".strip(),
                        when=_("until %(day)s") % {"day": display.day(t.valid_until)},
                        tone=WARN,
                    )
                    for t in expiring[:SHOWN]
                    if t.valid_until is not None
                ],
                _("No tag expires this month."),
            ),
        ],
        links=[Link(_("Search residents"), search, primary=True)],
    )
