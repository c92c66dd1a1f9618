"""The case engine's panels of the home page (``core.workbench``): the dispatcher's new and
returned cases, the handler's cases by deadline, the grid worker's patrol and tasks of today,
the leaders' overdue, supervised and satisfaction figures, a resident's reports and an
enterprise's open requests.

Every panel reads the cases the person may see (``Case.objects.visible_to``), narrowed by the
queues of the staff workbench (``queues.apply_queue``) and the clock's one definition of
overdue and due today (``sla``); "due soon" is the next working days of the work calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.cases import rules, sla
from linli.cases.forms import category_label
from linli.cases.metrics import organisation_metrics
from linli.cases.models import FINAL_STATES, Case, Channel, SlaMark, State
from linli.cases.queues import apply_queue
from linli.cases.views.reporter import mine
from linli.core import clock, display
from linli.core.access import Access
from linli.core.calendar import add_working_time
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.core.workbench import ALERT, OK, WARN, Figure, Item, ItemList, Link, PanelView, panel

SHOWN = 6  # rows a list of a panel shows; its link leads to all of them
SOON_WORKING_DAYS = 2  # "due soon": before the end of this many working days from now
NEW_STATES = (State.RECEIVED, State.REGISTERED)


def _queue_url(queue: str) -> str:
    return f"{reverse('cases:workbench')}?queue={queue}"


def _item(case: Case, *, when: str = "", badge: str = "", tone: str = "") -> Item:
    place = case.address or (case.grid.name if case.grid_id and case.grid else "")
    return Item(
        title=f"{case.number} {case.title}",
        url=reverse("cases:detail", kwargs={"number": case.number}),
        detail=" · ".join(part for part in (category_label(case.category), place) if part),
        when=when,
        badge=badge,
        tone=tone,
    )


def _received(case: Case) -> str:
    return _("received %(moment)s") % {"moment": display.moment(case.received_at)}


def _items(cases: QuerySet[Case]) -> list[Case]:
    return list(cases.select_related("category", "grid")[:SHOWN])


# --- the dispatcher ---------------------------------------------------------------------


@panel("cases.triage", roles=rules.HANDLING_ROLES, order=10, applies=rules.in_dispatch_centre)
def triage(access: Access) -> PanelView:
    """What waits to be registered and dispatched: returned cases first (a handler sent them
    back), then the newest reports."""
    waiting = apply_queue(access, Case.objects.visible_to(access), "triage")
    counts = waiting.aggregate(
        new=Count("pk", filter=Q(state__in=NEW_STATES)),
        returned=Count("pk", filter=Q(state=State.RETURNED)),
        overdue=Count("pk", filter=sla.overdue(clock.now())),
    )
    returned = _items(waiting.filter(state=State.RETURNED).order_by("-updated_at", "-id"))
    new = _items(waiting.filter(state__in=NEW_STATES).order_by("-received_at", "-id"))
    url = _queue_url("triage")
    return PanelView(
        title=_("To register and dispatch"),
        figures=[
            Figure(pgettext("cases", "new"), counts["new"], url=url),
            Figure(pgettext("cases", "returned"), counts["returned"], url=url, tone=WARN),
            Figure(_("overdue"), counts["overdue"], url=url, tone=ALERT),
        ],
        lists=[
            ItemList(
                _("Returned by the handlers"),
                [
                    _item(c, when=_received(c), badge=c.get_state_display(), tone=WARN)
                    for c in returned
                ],
                _("No case has been returned."),
            ),
            ItemList(
                _("New cases"),
                [_item(c, when=_received(c), badge=c.get_state_display()) for c in new],
                _("No new case is waiting."),
                more=Link(_("All cases to register and dispatch"), url),
            ),
        ],
    )


# --- the handler ------------------------------------------------------------------------


def handles_cases(access: Access) -> bool:
    """A handler working for a department (not only in the dispatch centre, whose work is the
    triage panel)."""
    return any(
        m.role == Role.HANDLER
        and (m.organisation is None or m.organisation.kind != Organisation.Kind.DISPATCH_CENTRE)
        for m in access.memberships
    )


def _urgency(case: Case, now: dt.datetime, soon: dt.datetime) -> tuple[str, str]:
    if sla.is_overdue(case, now):
        return _("Overdue"), ALERT
    if case.stage_deadline is not None and case.stage_deadline < sla.end_of_today(now):
        return _("Due today"), WARN
    if case.stage_deadline is not None and case.stage_deadline < soon:
        return _("Due soon"), ""
    return "", ""


def _deadline(case: Case) -> str:
    if case.stage_deadline is None:
        return ""
    return _("deadline %(moment)s") % {"moment": display.moment(case.stage_deadline)}


@panel("cases.deadlines", roles={Role.HANDLER}, order=20, applies=handles_cases)
def deadlines(access: Access) -> PanelView:
    """The handler's open cases (their organisation's and their own), the most urgent first."""
    now = clock.now()
    soon = add_working_time(now, days=SOON_WORKING_DAYS, subdistrict=access.subdistrict)
    visible = Case.objects.visible_to(access)
    work = apply_queue(access, visible, "organisation") | apply_queue(access, visible, "mine")
    running = Q(stage_deadline__isnull=False, paused_since__isnull=True)
    counts = work.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=sla.overdue(now)),
        today=Count("pk", filter=sla.due_today(now)),
        soon=Count(
            "pk",
            filter=running & Q(stage_deadline__gte=sla.end_of_today(now), stage_deadline__lt=soon),
        ),
    )
    urgent = _items(work.filter(running).order_by("stage_deadline", "id"))
    rows = []
    for case in urgent:
        badge, tone = _urgency(case, now, soon)
        rows.append(_item(case, when=_deadline(case), badge=badge, tone=tone))
    queue = "organisation" if access.linked_ids("organisation") else "mine"
    return PanelView(
        title=_("My cases by deadline"),
        figures=[
            Figure(_("overdue"), counts["overdue"], url=_queue_url("overdue"), tone=ALERT),
            Figure(_("due today"), counts["today"], url=_queue_url("due_today"), tone=WARN),
            Figure(_("due in the next two working days"), counts["soon"]),
            Figure(pgettext("cases", "open"), counts["open"], url=_queue_url(queue)),
        ],
        lists=[
            ItemList(
                _("Next deadlines"),
                rows,
                _("No case of yours has a deadline running."),
                more=Link(_("All my cases"), _queue_url(queue)),
            )
        ],
    )


# --- the grid worker ----------------------------------------------------------------------


@panel("cases.grid", roles={Role.GRID_WORKER}, order=15)
def grid_work(access: Access) -> PanelView:
    """Today's patrol reports, and the tasks: cases to verify on site in the worker's grid
    (the workbench's verify queue) and cases assigned to them."""
    now = clock.now()
    start = dt.datetime.combine(clock.today(), dt.time.min, clock.local_zone())
    visible = Case.objects.visible_to(access)
    patrol = visible.filter(
        channel=Channel.GRID_PATROL, reporter=access.user, received_at__gte=start
    )
    to_verify = apply_queue(access, visible, "verify")
    assigned = apply_queue(access, visible, "mine").filter(assignee=access.user)
    tasks = _items((to_verify | assigned).order_by(F("stage_deadline").asc(nulls_last=True), "id"))
    reported = _items(patrol.order_by("-received_at", "-id"))
    tasks_rows = []
    for case in tasks:
        verify = case.state == State.AWAITING_VERIFICATION
        tasks_rows.append(
            _item(
                case,
                when=_deadline(case),
                badge=_("Verify on site") if verify else case.get_state_display(),
                tone=ALERT if sla.is_overdue(case, now) else "",
            )
        )
    return PanelView(
        title=_("Patrol and tasks of today"),
        figures=[
            Figure(_("patrol reports today"), patrol.count()),
            Figure(_("to verify on site"), to_verify.count(), url=_queue_url("verify"), tone=WARN),
            Figure(_("assigned to me"), assigned.count()),
        ],
        lists=[
            ItemList(_("Tasks"), tasks_rows, _("No task is waiting for you.")),
            ItemList(
                _("Reported on today's patrol"),
                [_item(c, when=_received(c), badge=c.get_state_display()) for c in reported],
                _("Nothing reported on patrol today yet."),
            ),
        ],
        links=[
            Link(_("Patrol report"), reverse("cases:patrol"), primary=True),
            Link(_("Case map"), reverse("cases:map")),
        ],
    )


# --- the leaders --------------------------------------------------------------------------


def _month_start(now: dt.datetime) -> dt.datetime:
    today = clock.local_day(now)
    return dt.datetime.combine(today.replace(day=1), dt.time.min, clock.local_zone())


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@panel("cases.supervision", roles=rules.SUPERVISORS, order=30)
def supervision(access: Access) -> PanelView:
    """The whole area's overdue and supervised (督办) cases, and this month's satisfaction and
    on-time closure (``metrics``, summed over the organisations)."""
    now = clock.now()
    visible = Case.objects.visible_to(access)
    supervised = SlaMark.objects.visible_to(access).filter(
        kind=SlaMark.Kind.SUPERVISION, case=OuterRef("pk")
    )
    open_cases = visible.exclude(state__in=FINAL_STATES)
    counts = open_cases.annotate(is_supervised=Exists(supervised)).aggregate(
        overdue=Count("pk", filter=sla.overdue(now)),
        supervised=Count("pk", filter=Q(is_supervised=True)),
        open=Count("pk"),
    )
    month = organisation_metrics(_month_start(now), now)
    satisfied = sum(m.satisfied for m in month)
    callbacks = sum(m.callbacks for m in month)
    closed = sum(m.closed for m in month)
    on_time = sum(m.closed_on_time for m in month)
    overdue = _items(
        apply_queue(access, visible, "overdue")
        .annotate(is_supervised=Exists(supervised))
        .order_by("stage_deadline", "id")
    )
    rows = [
        _item(
            case,
            when=_deadline(case),
            badge=_("Supervised") if case.is_supervised else _("Overdue"),  # type: ignore[attr-defined]
            tone=ALERT,
        )
        for case in overdue
    ]
    satisfaction = _rate(satisfied, callbacks)
    return PanelView(
        title=_("Cases across the area"),
        figures=[
            Figure(_("overdue"), counts["overdue"], url=_queue_url("overdue"), tone=ALERT),
            Figure(_("supervised, still open"), counts["supervised"], tone=WARN),
            Figure(pgettext("cases", "open"), counts["open"], url=_queue_url("open")),
            Figure(
                _("satisfaction this month"),
                satisfaction,
                url=reverse("cases:metrics"),
                is_rate=True,
                tone=OK if satisfaction is not None and satisfaction >= 0.9 else "",
            ),
            Figure(
                _("closed on time this month"),
                _rate(on_time, closed),
                url=reverse("cases:metrics"),
                is_rate=True,
            ),
        ],
        lists=[
            ItemList(
                _("Longest overdue"),
                rows,
                _("No case is overdue."),
                more=Link(_("All overdue cases"), _queue_url("overdue")),
            )
        ],
        links=[Link(_("Case metrics"), reverse("cases:metrics"))],
    )


# --- residents and enterprises --------------------------------------------------------------


def _state_rows(cases: Iterable[Case]) -> list[Item]:
    return [
        _item(
            c,
            when=_received(c),
            badge=c.get_state_display(),
            tone=OK if c.state in FINAL_STATES else "",
        )
        for c in cases
    ]


@panel("cases.reports", roles={Role.RESIDENT}, order=40)
def my_reports(access: Access) -> PanelView:
    """The resident's reports, newest first, finished ones included (they can rate them)."""
    cases = mine(access)
    shown = _items(cases.order_by("-received_at", "-id"))
    return PanelView(
        title=_("My reports"),
        figures=[
            Figure(
                pgettext("cases", "open"),
                cases.exclude(state__in=FINAL_STATES).count(),
                url=reverse("cases:mine"),
            )
        ],
        lists=[
            ItemList(
                _("Latest reports"),
                _state_rows(shown),
                _("You have not reported anything yet."),
                more=Link(_("All my reports"), reverse("cases:mine")),
            )
        ],
        links=[Link(_("Report a problem"), reverse("cases:report"), primary=True)],
    )


@panel("cases.enterprise", roles={Role.ENTERPRISE_MEMBER}, order=40)
def enterprise_requests(access: Access) -> PanelView:
    """The open requests (appeals and other cases) of the person's enterprises."""
    ids = access.linked_ids("enterprise")
    cases = (
        Case.objects.visible_to(access)
        .filter(enterprise_id__in=ids)
        .exclude(state__in=FINAL_STATES)
    )
    shown = _items(cases.order_by("-received_at", "-id"))
    return PanelView(
        title=_("Our open requests"),
        figures=[Figure(_("open requests"), cases.count(), url=reverse("cases:mine"))],
        lists=[
            ItemList(
                _("Latest open requests"),
                _state_rows(shown),
                _("Your enterprise has no open request."),
                more=Link(_("All our requests"), reverse("cases:mine")),
            )
        ],
        links=[Link(_("Ask for help"), reverse("cases:report"), primary=True)],
    )
