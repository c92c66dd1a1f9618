"""The staff queues (mine, my organisation's, overdue, due today, to triage) over any case list,
shared by the workbench page, its Excel export and the API (through ``filters.listed``).

"Mine" and "my organisation's" are what is still to be done: closed, rejected and merged cases
leave them (the "all" queue keeps everything)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.cases import sla
from linli.cases.models import FINAL_STATES, Case, CaseReporter, CoHandler, State
from linli.core import clock
from linli.core.access import Access

QUEUES = {
    "mine": _("Mine"),
    "organisation": _("My organisation's"),
    "triage": _("To register and dispatch"),
    "overdue": _("Overdue"),
    "due_today": _("Due today"),
    "open": _("All open"),
    "all": _("All"),
}
TRIAGE_STATES = (State.RECEIVED, State.REGISTERED, State.RETURNED)
# Queues read in deadline order: the most urgent first.
BY_DEADLINE = ("overdue", "due_today", "triage")


def apply_queue(access: Access, queryset: QuerySet[Case], queue: str) -> QuerySet[Case]:
    now = clock.now()
    if queue == "mine":
        if access.user is None:
            return queryset.none()
        reported = CaseReporter.objects.filter(user=access.user).values("case_id")
        mine = queryset.filter(Q(assignee=access.user) | Q(pk__in=reported))
        return mine.exclude(state__in=FINAL_STATES)
    if queue == "organisation":
        orgs = access.linked_ids("organisation")
        co_handled = CoHandler.objects.filter(
            organisation_id__in=orgs, state=CoHandler.Progress.PENDING
        ).values("case_id")
        led = queryset.filter(Q(lead_organisation_id__in=orgs) | Q(pk__in=co_handled))
        return led.exclude(state__in=FINAL_STATES)
    if queue == "overdue":
        return queryset.filter(sla.overdue(now))
    if queue == "due_today":
        return queryset.filter(sla.due_today(now))
    if queue == "triage":
        return queryset.filter(state__in=TRIAGE_STATES)
    if queue == "open":
        return queryset.exclude(state__in=FINAL_STATES)
    return queryset


def ordered(queryset: QuerySet[Case], queue: str) -> QuerySet[Case]:
    if queue in BY_DEADLINE:
        return queryset.order_by("stage_deadline", "id")
    return queryset.order_by("-received_at", "-id")
