"""The staff queues (mine, my organisation's, overdue, due today, to triage, to verify) over any
case list, shared by the workbench page, its Excel export and the API (``filters.listed``).

"Mine" and "my organisation's" are what is still to be done: closed, rejected and merged cases
leave them (the "all" queue keeps everything)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.cases import rules, sla
from linli.cases.models import FINAL_STATES, Case, CaseReporter, CoHandler, State
from linli.core import clock
from linli.core.access import Access

QUEUES = {
    "mine": _("Mine"),
    "organisation": _("My organisation's"),
    "triage": _("To register and dispatch"),
    "verify": _("To verify on site"),
    "overdue": _("Overdue"),
    "due_today": _("Due today"),
    "open": _("All open"),
    "all": _("All"),
}
TRIAGE_STATES = (State.RECEIVED, State.REGISTERED, State.RETURNED)
# Queues read in deadline order: the most urgent first.
BY_DEADLINE = ("overdue", "due_today", "verify")
# The triage queue: cases handlers returned first (they wait on the dispatcher a second time),
# then the newest first, as they come in.
RETURNED_FIRST = models.Case(
    models.When(state=State.RETURNED, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)
# Who works each queue, when not everyone who opens the workbench does: the triage queue's
# cases can only be registered, rejected, dispatched or merged, all the dispatch centre's.
# The verify queue: the work waiting for a check on site, for those who may verify it.
QUEUE_RULES: dict[str, Callable[[Access], bool]] = {
    "triage": rules.is_dispatcher,
    "verify": lambda access: rules.verifiable(access) is not None,
}


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
    if queue == "verify":
        scope = rules.verifiable(access)
        if scope is None:
            return queryset.none()
        return queryset.filter(scope, state=State.AWAITING_VERIFICATION)
    if queue == "open":
        return queryset.exclude(state__in=FINAL_STATES)
    return queryset


def queues_for(access: Access) -> dict[str, Promise]:
    """The queues offered to ``access`` (a queue named in a link still lists its cases)."""
    return {
        key: label
        for key, label in QUEUES.items()
        if key not in QUEUE_RULES or QUEUE_RULES[key](access)
    }


def ordered(queryset: QuerySet[Case], queue: str) -> QuerySet[Case]:
    if queue == "triage":
        return queryset.order_by(RETURNED_FIRST, "-received_at", "-id")
    if queue in BY_DEADLINE:
        return queryset.order_by("stage_deadline", "id")
    return queryset.order_by("-received_at", "-id")
