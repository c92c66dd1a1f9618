"""One case of the demo office's year, played through the state table event by event up to the
moment of loading (with the clockwork of ``clockwork.py``).

Outcomes follow the office's habits, drawn per organisation: most cases closed on time and to
the reporter's satisfaction; some late, returned, paused, extended, reworked, reopened after a
dissatisfied callback or registered as long-term; duplicates merged; a few stalled.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from linli.cases.deadlines import DAYS, shift
from linli.cases.demo.catalogue import PHRASES
from linli.cases.demo.clockwork import Clockwork, Cut
from linli.cases.demo.intake import DISPATCHER, Intake
from linli.cases.models import (
    Case,
    CaseEvent,
    CaseReporter,
    Category,
    CoHandler,
    RejectReason,
    Satisfaction,
    SlaMark,
    Stage,
    State,
)
from linli.cases.routing import Router
from linli.cases.services import token_hash
from linli.core.models import Organisation, User
from linli.core.pii import encrypt, lookup_hash

if TYPE_CHECKING:
    from linli.cases.demo.office import Office

# The triage and callback desks slip less often than the organisations doing the work.
DESK_SLIP = 0.3


class Story(Clockwork):
    """One case played through the state table, event by event, up to now."""

    def __init__(self, office: Office, intake: Intake, router: Router) -> None:
        self.office = office
        self.intake = intake
        self.rng = office.rng
        self.cal = office.calendar
        self.events: list[CaseEvent] = []
        self.marks: list[SlaMark] = []
        self.reporters: list[CaseReporter] = []
        self.co_handlers: list[CoHandler] = []
        self.merged_into: Story | None = None
        self.final_at: dt.datetime | None = None
        self.sent: set[tuple[int, str]] = set()
        self.absorbed: list[tuple[dt.datetime, Story, int]] = []
        self.merge_event: CaseEvent | None = None
        place, sd = intake.place, office.ctx.subdistrict
        self.case = Case(
            subdistrict=sd,
            category=intake.category,
            channel=intake.channel,
            title=intake.title,
            description=intake.description,
            lon=place.lon,
            lat=place.lat,
            address=place.address,
            grid_id=place.grid_id,
            quarter=place.quarter,
            building=place.building,
            enterprise=place.enterprise,
            reporter=intake.reporter,
            extra=intake.extra,
            received_at=intake.received_at,
        )
        decision = router.route(self.case)
        self.case.routed_organisation = decision.organisation
        self.case.routed_assignee = decision.assignee
        self.case.routing_rule = decision.rule
        self.case.routing_reason = decision.reason
        self.t = intake.received_at
        lead = decision.organisation.pk if decision.organisation else None
        self.habits = office.habits_of(lead)
        self.reporters.append(
            CaseReporter(
                subdistrict=sd,
                case=self.case,
                user=intake.reporter,
                name=intake.name,
                phone_cipher=encrypt(intake.phone),
                phone_hash=lookup_hash(intake.phone),
                tracking_token_hash=token_hash(intake.token) if intake.token else "",
                added_at=intake.received_at,
            )
        )

    # the story -------------------------------------------------------------------------

    def play(self, duplicate_of: Story | None) -> None:
        case = self.case
        intake = self.intake
        self.events.append(
            self.event(
                intake.received_at,
                "submit",
                State.RECEIVED,
                intake.submitted_by,
                organisation_id=None,
                data={
                    "channel": intake.channel,
                    "routing": {
                        "organisation": case.routed_organisation_id,
                        "assignee": case.routed_assignee_id,
                        "rule": case.routing_rule_id,
                        "reason": case.routing_reason,
                    },
                },
            )
        )
        self.start_clock(Stage.REGISTER, intake.received_at)
        try:
            if duplicate_of is not None:
                self.merge(duplicate_of)
            else:
                self.handle()
        except Cut:
            pass
        self.chase(self.now)

    def dispatcher(self) -> User | None:
        return self.office.users.get(DISPATCHER)

    def leader(self) -> User | None:
        return self.office.users.get("leader") or self.office.users.get("operator")

    def handler(self) -> User | None:
        return self.office.actor_for(self.case.lead_organisation_id, self.case.assignee)

    def verifier(self) -> User | None:
        grid_user = self.office.users.get("grid")
        if grid_user is not None and self.case.grid_id == self.office.users.get("grid_of"):
            return grid_user
        return self.dispatcher()

    def handle(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(slip=DESK_SLIP)
        enquiry = case.category.kind == Category.Kind.ENQUIRY
        if rng.random() < (0.01 if enquiry else 0.04):
            reason = rng.choices(list(RejectReason.values), [3, 4, 3])[0]
            self.act(
                at,
                "reject",
                self.dispatcher(),
                reason=reason,
                note=PHRASES.reject_notes[reason],
                late=self.late(at),
            )
            self.stop_clock()
            self.final_at = at
            return
        self.act(at, "register", self.dispatcher(), late=self.late(at))
        self.start_clock(Stage.DISPATCH, at)

        right = case.routed_organisation
        if right is None:
            return
        wrong = None
        if rng.random() < 0.05:
            # A dispatcher's slip: another office that takes a lot of work (so one picked from
            # the cases routed lately).
            others = [o for o in self.office.routed[-200:] if o.pk != right.pk]
            wrong = rng.choice(others) if others else None
        self.office.routed.append(right)
        self.dispatch(wrong or right)
        if wrong is not None:
            at = self.due(late=False)
            reason = rng.choice(PHRASES.return_reasons).format(org=right.name)
            self.act(
                at, "return", self.handler(), reason=reason[:200], note=reason, late=self.late(at)
            )
            case.lead_organisation = None
            case.assignee = None
            self.start_clock(Stage.DISPATCH, at)
            self.dispatch(right)
        self.habits = self.office.habits_of(case.lead_organisation_id)
        self.work()

    def dispatch(self, organisation: Organisation) -> None:
        case = self.case
        at = self.due(slip=DESK_SLIP)
        assignee = case.routed_assignee if organisation == case.routed_organisation else None
        self.act(
            at,
            "dispatch",
            self.dispatcher(),
            late=self.late(at),
            organisation_id=organisation.pk,
            data={"assignee": assignee.pk if assignee else None},
        )
        case.lead_organisation = organisation
        case.assignee = assignee
        case.dispatched_at = at
        self.start_clock(Stage.ACCEPT, at)

    def work(self) -> None:
        rng, case, spec = self.rng, self.case, self.intake.spec
        at = self.due()
        handler = self.handler()
        self.act(at, "accept", handler, late=self.late(at))
        case.accepted_at = at
        case.resolve_deadline = self.limit(Stage.RESOLVE).after(self.cal, at)
        if case.assignee is None and handler is not None:
            case.assignee = handler
        self.start_clock(Stage.FIRST_CONTACT, at)

        co_handler = None
        code, part = spec.co_handler
        partner = self.office.organisations.get(code)
        if partner is not None and partner.pk != case.lead_organisation_id and rng.random() < 0.3:
            co_handler = self.add_co_handler(partner, part)

        at = self.due()
        self.act(at, "start_handling", self.handler(), late=self.late(at))
        self.start_clock(Stage.RESOLVE, case.accepted_at, case.resolve_deadline)

        if rng.random() < 0.05:
            self.wait_for_reporter()
        if rng.random() < (0.15 if spec.slow else 0.035):
            self.extension()
        if rng.random() < (0.04 if spec.slow else 0.006):
            self.long_term()
            return
        if co_handler is not None:
            self.complete_co_handling(co_handler)
        self.verification()

    def add_co_handler(self, partner: Organisation, part: str) -> CoHandler:
        at = self.soon(0.1, 1.5)
        self.act(at, "add_co_handler", self.handler(), note=part, data={"organisation": partner.pk})
        row = CoHandler(
            subdistrict_id=self.case.subdistrict_id,
            case=self.case,
            organisation=partner,
            part=part,
            added_at=at,
        )
        self.co_handlers.append(row)
        self.events[-1].data["co_handler"] = row  # numbered once the row is written
        return row

    def complete_co_handling(self, row: CoHandler) -> None:
        at = self.soon(2, 12)
        note = PHRASES.co_handling_done
        self.act(
            at,
            "complete_co_handling",
            self.office.actor_for(row.organisation_id),
            note=note,
            organisation_id=row.organisation_id,
            data={"organisation": row.organisation_id, "co_handler": row},
        )
        row.state = CoHandler.Progress.DONE
        row.note = note
        row.done_at = at

    def wait_for_reporter(self) -> None:
        case = self.case
        at = self.soon(1, 6)
        self.act(at, "wait_for_reporter", self.handler(), note=self.rng.choice(PHRASES.wait_notes))
        case.paused_since = at
        back = self.cal.add_working_hours(at, self.rng.uniform(4, 30))
        paused = self.cal.working_seconds_between(at, back)
        self.act(
            back,
            "resume",
            self.handler(),
            note=PHRASES.resume_note,
            data={"paused_seconds": round(paused)},
        )
        case.paused_seconds += round(paused)
        case.paused_since = None
        case.stage_deadline = shift(self.cal, case.stage_deadline, paused)
        case.reminder_at = shift(self.cal, case.reminder_at, paused)
        case.resolve_deadline = shift(self.cal, case.resolve_deadline, paused)

    def extension(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(late=False, share=(0.4, 0.75))
        limit = self.limit(Stage.EXTENSION)
        amount = rng.randint(max(1, limit.amount // 2), limit.amount)
        reason = rng.choice(PHRASES.extension_reasons)
        self.act(
            at,
            "request_extension",
            self.handler(),
            reason=reason,
            note=reason,
            data={"amount": amount, "unit": limit.unit},
        )
        decided = self.soon(0.5, 4)
        if rng.random() < 0.15:
            reason = PHRASES.extension_denied
            self.act(decided, "deny_extension", self.leader(), reason=reason, note=reason)
            return
        base = case.resolve_deadline or decided
        if limit.unit == DAYS:
            deadline = self.cal.add_working_days(base, amount)
        else:
            deadline = self.cal.add_working_hours(base, amount)
        self.act(
            decided, "approve_extension", self.leader(), data={"amount": amount, "unit": limit.unit}
        )
        case.resolve_deadline = deadline
        self.start_clock(Stage.EXTENSION, decided, deadline)

    def long_term(self) -> None:
        case = self.case
        at = self.due(late=False, share=(0.6, 0.95))
        reason = self.rng.choice(PHRASES.long_term_reasons)
        self.act(
            at,
            "register_long_term",
            self.handler(),
            reason=reason,
            note=reason,
            late=self.late(at),
        )
        self.stop_clock()
        # Some get their money or their plan months later and close.
        if self.rng.random() < 0.5:
            later = self.cal.add_working_days(at, self.rng.randint(20, 120))
            self.act(
                later,
                "close",
                self.dispatcher(),
                note=PHRASES.long_term_closed,
                late=case.handled_late,
            )
            case.closed_at = later
            self.final_at = later

    def verification(self) -> None:
        rng, case = self.rng, self.case
        at = self.due()
        late = self.late(at)
        spec = self.intake.spec
        reply = rng.choice(spec.replies) if spec.replies else PHRASES.default_reply
        self.act(at, "submit_for_verification", self.handler(), note=reply, late=late)
        case.handled_late = case.handled_late or bool(late)
        self.start_clock(Stage.VERIFY, at)
        at = self.due(slip=DESK_SLIP)
        if rng.random() < (0.08 if case.category.kind == Category.Kind.INCIDENT else 0.03):
            reason = rng.choice(PHRASES.rework_reasons)
            self.act(at, "rework", self.verifier(), reason=reason, note=reason, late=self.late(at))
            case.resolve_deadline = self.limit(Stage.REWORK).after(self.cal, at)
            self.start_clock(Stage.REWORK, at, case.resolve_deadline)
            at = self.soon(0.2, 3)
            self.act(at, "start_handling", self.handler(), late=self.late(at))
            self.verification()
            return
        self.act(at, "verify", self.verifier(), note=PHRASES.verified_note, late=self.late(at))
        self.start_clock(Stage.CALLBACK, at)
        self.callback()

    def callback(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(slip=DESK_SLIP)
        content = self.habits.content - (0.25 if case.handled_late else 0)
        satisfaction = rng.choices(
            list(Satisfaction.values), [content * 0.75, content * 0.25, max(0.02, 1 - content)]
        )[0]
        chance: dict[str, float] = {
            Satisfaction.SATISFIED: 0.96,
            Satisfaction.BASICALLY_SATISFIED: 0.8,
        }
        resolved = rng.random() < chance.get(satisfaction, 0.2)
        self.act(
            at,
            "record_callback",
            self.dispatcher(),
            note=rng.choice(PHRASES.callback_notes[satisfaction]),
            late=self.late(at),
            outcome=satisfaction,
            data={"resolved": resolved},
        )
        case.satisfaction = satisfaction
        case.resolved = resolved
        self.stop_clock()
        if satisfaction == Satisfaction.DISSATISFIED and rng.random() < 0.7:
            at = self.soon(0.2, 3)
            reason = rng.choice(PHRASES.reopen_reasons)
            self.act(at, "reopen", self.dispatcher(), reason=reason, note=reason)
            case.closed_at = None
            case.satisfaction = ""
            case.resolved = None
            case.resolve_deadline = self.limit(Stage.REOPEN).after(self.cal, at)
            self.start_clock(Stage.REOPEN, at, case.resolve_deadline)
            at = self.soon(0.2, 4)
            self.act(at, "start_handling", self.handler(), late=self.late(at))
            self.verification()
            return
        at = self.soon(0.1, 2)
        self.act(at, "close", self.dispatcher(), late=case.handled_late)
        case.closed_at = at
        self.final_at = at

    def merge(self, target: Story) -> None:
        """Someone reports again what ``target`` reports: staff merge it under that case."""
        case = self.case
        at = self.due(late=False)
        if target.final_at is not None and at >= target.final_at:
            at = case.received_at + (target.final_at - case.received_at) / 2
        self.act(at, "merge", self.dispatcher(), reason=RejectReason.DUPLICATE, late=self.late(at))
        self.merge_event = self.events[-1]
        self.stop_clock()
        self.merged_into = target
        self.final_at = at
        for reporter in self.reporters:
            target.reporters.append(
                CaseReporter(
                    subdistrict_id=case.subdistrict_id,
                    case=target.case,
                    user=reporter.user,
                    name=reporter.name,
                    phone_cipher=reporter.phone_cipher,
                    phone_hash=reporter.phone_hash,
                    tracking_token_hash=reporter.tracking_token_hash,
                    from_case=case,
                    added_at=at,
                )
            )
        target.absorbed.append((at, self, len(self.reporters)))

    # after the cases are numbered and written -------------------------------------------

    def number_merges(self) -> None:
        if self.merge_event is not None and self.merged_into is not None:
            self.merge_event.data = {"into": self.merged_into.case.number}
        for at, duplicate, moved in self.absorbed:
            self.events.append(
                CaseEvent(
                    subdistrict_id=self.case.subdistrict_id,
                    case=self.case,
                    at=at,
                    actor=self.dispatcher(),
                    action="absorb",
                    from_state=self.state_at(at),
                    to_state=self.state_at(at),
                    organisation_id=self.case.lead_organisation_id,
                    data={"duplicate": duplicate.case.number, "reporters_added": moved},
                )
            )

    def state_at(self, at: dt.datetime) -> str:
        state = State.RECEIVED.value
        for event in self.events:
            if event.at <= at and event.to_state:
                state = event.to_state
        return state

    def ratings(self) -> list[CaseEvent]:
        """Co-handler ids for their events; and reporters with an account rate most of their
        closed cases a day or two after closure."""
        for event in self.events:
            row = event.data.get("co_handler") if isinstance(event.data, dict) else None
            if isinstance(row, CoHandler):
                event.data["co_handler"] = row.pk
        case = self.case
        if case.state != State.CLOSED or case.closed_at is None:
            return []
        out = []
        for reporter in self.reporters:
            if reporter.user is None or self.rng.random() < 0.3:
                continue
            at = case.closed_at + dt.timedelta(hours=self.rng.uniform(2, 60))
            if at > self.now:
                continue
            out.append(
                CaseEvent(
                    subdistrict_id=case.subdistrict_id,
                    case=case,
                    at=at,
                    actor=reporter.user,
                    action="rate",
                    from_state=case.state,
                    to_state=case.state,
                    organisation_id=case.lead_organisation_id,
                    outcome=case.satisfaction or Satisfaction.SATISFIED,
                    note=self.rng.choice(PHRASES.rating_comments),
                    data={"reporter": reporter.pk},
                )
            )
        return out
