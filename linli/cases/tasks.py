"""The SLA sweep: reminders (催办) at 80% of a limit, supervision (督办) once it is missed.

It runs every minute over every sub-district. Only cases with a running clock have
``reminder_at`` / ``stage_deadline`` set, both indexed, so each run reads the few rows that
crossed a line and have no mark for their current clock yet. The ``SlaMark`` row is inserted
before anyone is told; its unique key turns a second run (or a second worker) into a no-op.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from linli.cases.models import Case, CaseEvent, SlaMark
from linli.cases.notices import (
    case_title,
    handlers_of,
    leaders,
    local_time,
    tell_staff,
)
from linli.cases.routing import dispatchers
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.scheduler import periodic

logger = logging.getLogger(__name__)

BATCH = 500
Kind = SlaMark.Kind

# The audit names of the two SLA marks (``SlaMark.Kind``).
SLA_ACTIONS: dict[str, str] = {
    SlaMark.Kind.REMINDER: "cases.case.remind",
    SlaMark.Kind.SUPERVISION: "cases.case.supervise",
}


def _due(kind: str, now: dt.datetime) -> list[Case]:
    line = "reminder_at" if kind == Kind.REMINDER else "stage_deadline"
    marked = SlaMark.objects.filter(
        subdistrict=OuterRef("subdistrict"), case=OuterRef("pk"), clock=OuterRef("clock"), kind=kind
    )
    return list(
        Case.objects.filter(**{f"{line}__lte": now}, paused_since__isnull=True)
        .exclude(Exists(marked))
        .select_related("subdistrict", "lead_organisation", "assignee", "category")
        .order_by(line)[:BATCH]
    )


def _recipients(case: Case, kind: str) -> list:
    if kind == Kind.SUPERVISION:
        return leaders()
    if case.assignee is not None:
        return [case.assignee]
    return handlers_of(case) or dispatchers()


def _mark(case: Case, kind: str, now: dt.datetime) -> bool:
    """Insert the mark and tell people, in one transaction; False if already marked."""
    assert case.stage_deadline is not None  # noqa: S101 - selected on it
    with scope(subdistrict=case.subdistrict), transaction.atomic():
        try:
            with transaction.atomic():
                SlaMark.objects.create(
                    subdistrict_id=case.subdistrict_id,
                    case=case,
                    clock=case.clock,
                    stage=case.stage,
                    kind=kind,
                    deadline=case.stage_deadline,
                    created_at=now,
                )
        except IntegrityError:
            return False
        CaseEvent.objects.create(
            subdistrict_id=case.subdistrict_id,
            case=case,
            at=now,
            actor=None,
            action=kind,
            from_state=case.state,
            to_state=case.state,
            organisation_id=case.lead_organisation_id,
            data={"stage": case.stage, "deadline": case.stage_deadline.isoformat()},
        )
        if kind == Kind.REMINDER:
            title = case_title(
                case,
                _("reminder: due %(deadline)s") % {"deadline": local_time(case.stage_deadline)},
            )
        else:
            title = case_title(
                case,
                _("supervision: overdue since %(deadline)s")
                % {"deadline": local_time(case.stage_deadline)},
            )
        tell_staff(case, _recipients(case, kind), title, case.title)
        audit.record(Access.system(case.subdistrict), SLA_ACTIONS[kind], case, note=case.stage)
    return True


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    sent = {Kind.REMINDER.value: 0, Kind.SUPERVISION.value: 0}
    for kind in (Kind.REMINDER, Kind.SUPERVISION):
        with scopes_disabled():
            due = _due(kind, now)
        for case in due:
            if _mark(case, kind, now):
                sent[kind.value] += 1
    if any(sent.values()):
        logger.info("SLA sweep: %s", sent)
    return sent


@periodic("cases.sla_sweep", dt.timedelta(minutes=1))
@task()
def sla_sweep() -> dict[str, int]:
    return sweep()
