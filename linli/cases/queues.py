"""The staff queues (mine, my organisation's, overdue, due today, to triage) over any case list,
shared by the workbench page and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.cases.models import FINAL_STATES, Case, CoHandler, State
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone

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


def end_of_today(now: dt.datetime) -> dt.datetime:
    today = now.astimezone(local_zone()).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, local_zone())


def apply_queue(access: Access, queryset: QuerySet[Case], queue: str) -> QuerySet[Case]:
    now = clock.now()
    if queue == "mine":
        if access.user is None:
            return queryset.none()
        return queryset.filter(Q(assignee=access.user) | Q(reporters__user=access.user)).distinct()
    if queue == "organisation":
        orgs = access.linked_ids("organisation")
        co_handled = CoHandler.objects.filter(
            organisation_id__in=orgs, state=CoHandler.Progress.PENDING
        ).values("case_id")
        return queryset.filter(Q(lead_organisation_id__in=orgs) | Q(pk__in=co_handled))
    if queue == "overdue":
        return queryset.filter(stage_deadline__lt=now, paused_since__isnull=True)
    if queue == "due_today":
        return queryset.filter(stage_deadline__gte=now, stage_deadline__lt=end_of_today(now))
    if queue == "triage":
        return queryset.filter(state__in=TRIAGE_STATES)
    if queue == "open":
        return queryset.exclude(state__in=FINAL_STATES)
    return queryset


def ordered(queryset: QuerySet[Case], queue: str) -> QuerySet[Case]:
    if queue in BY_DEADLINE:
        return queryset.order_by("stage_deadline", "id")
    return queryset.order_by("-received_at", "-id")
