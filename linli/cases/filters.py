"""The case list's filters, defined once for the staff workbench, ``GET /api/v1/cases`` and the
workbench's Excel export: the same parameters give the same cases on all three.

``listed(access, filters)`` is the list itself: the cases the person may see
(``Case.objects.visible_to``), narrowed to a queue and the filters, in the queue's order.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from pydantic import Field

from linli.cases.models import Case, Category, Channel, State
from linli.cases.queues import QUEUES, apply_queue, ordered
from linli.core import clock
from linli.core.access import Access
from linli.core.filters import ListFilter
from linli.registry.models import Grid

# "": none named (the workbench opens on the person's own queue, the API on all).
Queue = Literal[
    "", "mine", "organisation", "triage", "verify", "overdue", "due_today", "open", "all"
]


def subtree(code: str) -> list[int]:
    """The category of ``code`` and every category below it (a parent stands for its whole
    subtree); nothing when no category has that code."""
    found = list(Category.objects.filter(code=code).values_list("pk", flat=True)[:1])
    ids = set(found)
    frontier = set(found)
    while frontier:
        frontier = (
            set(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return sorted(ids)


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of a Shanghai calendar day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.local_zone())


class CaseFilter(ListFilter):
    queue: Queue = Field(
        "",
        description="A work queue: mine (assigned to or reported by me, still open), "
        "organisation (led or co-handled by my organisation, still open), triage, verify (waiting "
        "for a check on site that I may make), overdue, "
        "due_today, open or all (the default).",
    )
    state: str = Field("", description="One state, or several separated by commas.")
    category: str = Field(
        "", description="A category code; a parent category includes its subcategories."
    )
    channel: str = ""
    grid: str = Field("", description="A grid code.")
    q: str = Field("", description="Words found in the number, title, description or address.")
    received_from: dt.date | None = Field(
        None, description="Received on or after this day (Shanghai time)."
    )
    received_to: dt.date | None = Field(
        None, description="Received on or before this day (Shanghai time)."
    )

    def filter_queue(self, value: str) -> Q:
        return Q()  # applied by ``listed``, which knows who is asking

    def filter_state(self, value: str) -> Q:
        states = [s.strip() for s in (value or "").split(",") if s.strip()]
        return Q(state__in=states) if states else Q()

    def filter_category(self, value: str) -> Q:
        return Q(category_id__in=subtree(value)) if value else Q()

    def filter_channel(self, value: str) -> Q:
        return Q(channel=value) if value else Q()

    def filter_grid(self, value: str) -> Q:
        return Q(grid__code=value) if value else Q()

    def filter_received_from(self, value: dt.date | None) -> Q:
        return Q(received_at__gte=day_start(value)) if value else Q()

    def filter_received_to(self, value: dt.date | None) -> Q:
        return Q(received_at__lt=day_start(value + dt.timedelta(days=1))) if value else Q()

    def filter_q(self, value: str) -> Q:
        words = (value or "").strip()
        if not words:
            return Q()
        return (
            Q(number__icontains=words)
            | Q(title__icontains=words)
            | Q(description__icontains=words)
            | Q(address__icontains=words)
        )


def listed(access: Access, filters: CaseFilter, *, queue: str | None = None) -> QuerySet[Case]:
    """The cases of one list, in its order. ``queue``: the queue when the filters name none
    (the workbench opens on the person's own queue; the API on all)."""
    chosen = filters.queue or queue or "all"
    cases = apply_queue(access, Case.objects.visible_to(access), chosen)
    return ordered(filters.apply(cases), chosen)


def described(filters: CaseFilter) -> list[tuple[str, str]]:
    """The filters in force, in words, for the head of an export or a report."""
    shown: list[tuple[str, str]] = []
    if filters.queue:
        shown.append((_("Queue"), str(QUEUES.get(filters.queue, filters.queue))))
    if filters.state:
        labels = dict(State.choices)
        names = [str(labels.get(s.strip(), s.strip())) for s in filters.state.split(",")]
        shown.append((_("State"), ", ".join(names)))
    if filters.category:
        category = Category.objects.filter(code=filters.category).first()
        shown.append((_("Category"), str(category or filters.category)))
    if filters.channel:
        shown.append(
            (_("Channel"), str(dict(Channel.choices).get(filters.channel, filters.channel)))
        )
    if filters.grid:
        grid = Grid.objects.filter(code=filters.grid).first()
        shown.append((_("Grid"), f"{filters.grid} {grid.name}" if grid else filters.grid))
    if filters.received_from:
        shown.append((_("Received from"), filters.received_from.isoformat()))
    if filters.received_to:
        shown.append((_("Received to"), filters.received_to.isoformat()))
    if filters.q:
        shown.append((_("Search"), filters.q))
    return shown
