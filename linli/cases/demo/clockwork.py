"""The clockwork of a demo case's story: the stage clock that runs on the case with its deadline,
the reminders and supervision the SLA sweep would have sent for it, each transition appended at
its moment through the state table, and when a piece of work gets done.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from linli.cases import workflow
from linli.cases.deadlines import Limit, reminder_point
from linli.cases.models import Case, CaseEvent, SlaMark
from linli.core.calendar import WorkCalendar
from linli.core.models import User

if TYPE_CHECKING:
    from linli.cases.demo.office import Habits, Office


class Cut(Exception):
    """The story has reached the present: what comes next has not happened yet."""


class Clockwork:
    """What ``Story`` plays a case with; ``t`` is the time of the last event."""

    office: Office
    case: Case
    rng: random.Random
    cal: WorkCalendar
    habits: Habits
    events: list[CaseEvent]
    marks: list[SlaMark]
    sent: set[tuple[int, str]]
    t: dt.datetime

    @property
    def now(self) -> dt.datetime:
        return self.office.now

    def limit(self, stage: str) -> Limit:
        return self.office.limits[(self.case.category_id, stage)]

    def start_clock(
        self, stage: str, start: dt.datetime, deadline: dt.datetime | None = None
    ) -> None:
        case = self.case
        if deadline is None:
            deadline = self.limit(stage).after(self.cal, start)
        case.clock += 1
        case.stage = stage
        case.stage_started_at = start
        case.stage_deadline = deadline
        case.reminder_at = reminder_point(self.cal, start, deadline)

    def stop_clock(self) -> None:
        case = self.case
        case.stage = ""
        case.stage_started_at = case.stage_deadline = case.reminder_at = None

    def late(self, at: dt.datetime) -> bool | None:
        deadline = self.case.stage_deadline
        return None if deadline is None else at > deadline

    def chase(self, until: dt.datetime) -> None:
        """The reminder and supervision the sweep sent for the running clock before ``until``."""
        case = self.case
        if case.stage_deadline is None or case.paused_since is not None:
            return
        for kind, line in (
            (SlaMark.Kind.REMINDER, case.reminder_at),
            (SlaMark.Kind.SUPERVISION, case.stage_deadline),
        ):
            key = (case.clock, kind.value)
            if line is None or line >= until or line > self.now or key in self.sent:
                continue
            at = line + dt.timedelta(seconds=self.rng.randint(1, 59))
            if at > self.now:
                continue
            self.sent.add(key)
            self.events.append(
                self.event(
                    at,
                    kind.value,
                    case.state,
                    None,
                    data={"stage": case.stage, "deadline": case.stage_deadline.isoformat()},
                )
            )
            self.marks.append(
                SlaMark(
                    subdistrict_id=case.subdistrict_id,
                    case=case,
                    clock=case.clock,
                    stage=case.stage,
                    kind=kind,
                    deadline=case.stage_deadline,
                    created_at=at,
                )
            )

    def event(
        self, at: dt.datetime, action: str, to_state: str, actor: User | None, **values: Any
    ) -> CaseEvent:
        values.setdefault("organisation_id", self.case.lead_organisation_id)
        return CaseEvent(
            subdistrict_id=self.case.subdistrict_id,
            case=self.case,
            at=at,
            actor=actor,
            action=action,
            from_state=self.case.state if action not in ("submit",) else "",
            to_state=to_state,
            **values,
        )

    def act(self, at: dt.datetime, action: str, actor: User | None, **values: Any) -> None:
        """Append one transition at ``at``, or stop the story if that is in the future."""
        self.chase(at)
        if at > self.now:
            raise Cut
        workflow.check(self.case.state, action)
        to_state = workflow.target_state(self.case.state, action)
        self.events.append(self.event(at, action, to_state, actor, **values))
        self.case.state = to_state
        self.t = at

    def due(
        self,
        *,
        late: bool | None = None,
        share: tuple[float, float] = (0.05, 0.9),
        slip: float = 1.0,
    ) -> dt.datetime:
        """When the work of the running clock gets done: mostly in time, sometimes late, now and
        then long after (a stalled case). The triage and callback desks slip less often than
        the organisations doing the work (``slip`` scales the organisation's habit)."""
        case = self.case
        start, deadline = case.stage_started_at, case.stage_deadline
        assert start is not None and deadline is not None  # noqa: S101 - a clock runs
        if late is None:
            late = self.rng.random() < self.habits.late * slip
        budget = self.cal.working_seconds_between(start, deadline) / 3600
        if late:
            stalled = self.rng.random() < 0.15
            fraction = self.rng.uniform(3, 20) if stalled else 1 + self.rng.expovariate(2.5)
        else:
            low, high = share
            fraction = low + (high - low) * self.rng.random() ** 1.4
        at = self.cal.add_working_hours(start, max(budget, 0.25) * fraction)
        if at <= self.t:
            at = self.soon(0.2, 1.0)
        return at

    def soon(self, low: float, high: float) -> dt.datetime:
        """A little working time after the last event (hours)."""
        return self.cal.add_working_hours(self.t, self.rng.uniform(low, high)) + dt.timedelta(
            seconds=self.rng.randint(0, 59)
        )
