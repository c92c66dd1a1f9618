"""The machinery every case verb runs on: lock the case, check the action, change the case in
one transaction, append a ``CaseEvent`` and write the audit log.

Clocks: a case has at most one running clock (``stage``, ``stage_deadline``, ``reminder_at``),
always computed on the sub-district's work calendar. Waiting for the reporter pauses it; on
resume every deadline moves on by the working time spent waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from linli.cases import actions, workflow
from linli.cases.deadlines import limit_for, reminder_point
from linli.cases.models import Case, CaseEvent
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.limits import refuse_overlong


@dataclass
class Step:
    """One verb in flight: the locked case and what it looked like before."""

    case: Case
    action: str
    actor: Access
    now: dt.datetime
    calendar: WorkCalendar
    from_state: str
    lead_before: int | None
    before: dict[str, Any] = field(default_factory=dict)


def lock(case: Case) -> Case:
    # ``of=self``: lock the case row only, not the joined category or organisation rows.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "subdistrict", "lead_organisation", "assignee")
        .get(pk=case.pk)
    )


def copy_onto(original: Case, fresh: Case) -> None:
    """Callers keep using the instance they passed in; bring it up to date."""
    if original is fresh:
        return
    for f in Case._meta.concrete_fields:
        setattr(original, f.attname, getattr(fresh, f.attname))


def begin(case: Case, action: str, actor: Access) -> Step:
    """Lock the case and check that ``actor`` may take ``action`` on it now (``actions``: the
    same answer the case page and the API list)."""
    fresh = lock(case)
    actions.require(actor, fresh, action)
    return Step(
        case=fresh,
        action=action,
        actor=actor,
        now=clock.now(),
        calendar=WorkCalendar.for_subdistrict(fresh.subdistrict),
        from_state=fresh.state,
        lead_before=fresh.lead_organisation_id,
        before=audit.snapshot(fresh),
    )


def finish(
    step: Step,
    *,
    note: str = "",
    reason: str = "",
    late: bool | None = None,
    outcome: str = "",
    data: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    original: Case | None = None,
) -> CaseEvent:
    case = step.case
    case.state = workflow.target_state(step.from_state, step.action)
    case.save()
    event = CaseEvent.objects.create(
        subdistrict_id=case.subdistrict_id,
        case=case,
        at=step.now,
        actor=step.actor.user,
        action=step.action,
        from_state=step.from_state,
        to_state=case.state,
        organisation_id=organisation_id
        if organisation_id is not None
        else case.lead_organisation_id,
        note=note,
        reason=reason,
        late=late,
        outcome=outcome,
        data=data or {},
    )
    old, new = audit.changes(step.before, audit.snapshot(case))
    audit.record(
        step.actor, f"cases.case.{step.action}", case, before=old or None, after=new, note=reason
    )
    if original is not None:
        copy_onto(original, case)
    return event


def is_late(case: Case, now: dt.datetime) -> bool | None:
    """Whether the running clock has run out (None: no clock runs)."""
    return None if case.stage_deadline is None else now > case.stage_deadline


def start_clock(
    case: Case,
    stage: str,
    calendar: WorkCalendar,
    start: dt.datetime,
    deadline: dt.datetime | None = None,
) -> None:
    if deadline is None:
        deadline = limit_for(case.category, stage).after(calendar, start)
    case.clock += 1
    case.stage = stage
    case.stage_started_at = start
    case.stage_deadline = deadline
    case.reminder_at = reminder_point(calendar, start, deadline)


def stop_clock(case: Case) -> None:
    case.stage = ""
    case.stage_started_at = None
    case.stage_deadline = None
    case.reminder_at = None


def required_text(name: str, value: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({name: [message]})
    return text


def reason_text(value: str, message: str) -> str:
    """A verb's required reason: refused when empty or longer than an event's reason holds."""
    text = required_text("reason", value, message)
    refuse_overlong(CaseEvent, reason=text)
    return text


def note_text(value: str, *, required: str = "") -> str:
    """A verb's note (``required``: the message when it may not be empty): refused when longer
    than an event's note holds."""
    text = required_text("note", value, required) if required else value or ""
    refuse_overlong(CaseEvent, note=text)
    return text
