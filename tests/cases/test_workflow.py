"""One case through every state, with each deadline checked against the work calendar.

The walk spans the 2026 National Day holiday: 1–7 October off, Saturday 10 October a swapped
workday (Mid-Autumn, 25–27 September, is off too). Business hours 09:00–12:00, 13:00–17:30.
"""

from __future__ import annotations

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.cases import services as s
from linli.cases.models import Case, CaseEvent, CoHandler, Satisfaction, State
from linli.cases.workflow import TRANSITIONS, InvalidTransition
from linli.core.models import Notification
from tests.cases.conftest import local, png_bytes


def test_the_2026_calendar_facts_this_file_relies_on():
    assert all(
        not chinese_calendar.is_workday(local(f"2026-10-0{d} 10:00").date()) for d in range(1, 8)
    )
    assert chinese_calendar.is_workday(local("2026-10-10 10:00").date())  # Saturday, swapped
    assert chinese_calendar.is_workday(local("2026-09-20 10:00").date())  # Sunday, swapped
    assert not chinese_calendar.is_workday(local("2026-10-11 10:00").date())


def test_a_case_walks_through_every_state_with_calendar_deadlines(office, report, now):
    visited = []

    def step(case: Case, expected_state: str) -> Case:
        assert case.state == expected_state
        visited.append(case.state)
        return case

    a = office.access
    now("2026-09-29 10:00")
    case = step(report(), State.RECEIVED)
    assert case.number.startswith("2026-")
    assert case.stage == "register"
    assert case.stage_deadline == local("2026-09-29 12:00")  # 2 working hours
    assert case.reminder_at == local("2026-09-29 11:36")  # 80% of 120 minutes

    now("2026-09-29 10:30")
    case = step(s.register_case(case, actor=a(office.dispatcher)), State.REGISTERED)
    assert case.stage_deadline == local("2026-09-29 13:30")  # over the lunch break

    now("2026-09-29 11:00")
    case = step(s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher)), State.DISPATCHED)
    assert case.lead_organisation == office.dept_a
    assert case.stage_deadline == local("2026-09-29 12:00")  # accept within 1 working hour

    now("2026-09-29 11:30")
    with pytest.raises(ValidationError):
        s.return_case(case, actor=a(office.handler_a), reason="  ")
    case = step(
        s.return_case(case, actor=a(office.handler_a), reason="Housing, not street management"),
        State.RETURNED,
    )
    assert case.lead_organisation is None
    assert case.stage_deadline == local("2026-09-29 14:30")

    now("2026-09-30 16:00")
    case = step(s.dispatch_case(case, office.dept_b, actor=a(office.dispatcher)), State.DISPATCHED)
    assert case.stage_deadline == local("2026-09-30 17:00")

    now("2026-09-30 17:00")
    case = step(s.accept_case(case, actor=a(office.handler_b)), State.ACCEPTED)
    # 5 working days: 8, 9, 10 (swapped Saturday), 12, 13 October.
    assert case.resolve_deadline == local("2026-10-13 17:00")
    assert case.stage == "first_contact"
    assert case.stage_deadline == local("2026-10-08 17:00")  # the whole holiday is skipped

    now("2026-10-08 10:00")
    case = step(s.start_handling(case, actor=a(office.handler_b)), State.IN_PROGRESS)
    assert case.stage == "resolve"
    assert case.stage_deadline == local("2026-10-13 17:00")

    now("2026-10-09 15:00")
    case = step(
        s.wait_for_reporter(case, actor=a(office.handler_b), note="Which stairwell?"),
        State.WAITING_REPORTER,
    )
    now("2026-10-10 11:00")  # the swapped Saturday counts as working time
    case = step(s.resume_case(case, actor=a(office.handler_b)), State.IN_PROGRESS)
    # Paused 2.5 h on Friday and 2 h on Saturday: the deadline moves on by 4.5 working hours.
    assert case.paused_seconds == 4.5 * 3600
    assert case.resolve_deadline == local("2026-10-14 14:00")
    assert case.stage_deadline == local("2026-10-14 14:00")

    now("2026-10-12 10:00")
    case = step(
        s.request_extension(case, actor=a(office.handler_b), reason="Needs the fire brigade"),
        State.EXTENSION_REQUESTED,
    )
    with pytest.raises(PermissionDenied):
        s.approve_extension(case, actor=a(office.handler_b))
    now("2026-10-12 11:00")
    case = step(s.approve_extension(case, actor=a(office.leader)), State.IN_PROGRESS)
    # 10 more working days from 14 October 14:00 (5 + 10 = the 15 days of complex cases).
    assert case.resolve_deadline == local("2026-10-28 14:00")
    assert case.stage == "extension"

    now("2026-10-20 10:00")
    with pytest.raises(ValidationError) as no_photo:
        s.submit_for_verification(case, actor=a(office.handler_b), note="Wire removed")
    assert "after" in no_photo.value.message_dict
    case = step(
        s.submit_for_verification(
            case,
            actor=a(office.handler_b),
            note="Wire removed",
            before=[png_bytes("red")],
            after=[png_bytes("green")],
        ),
        State.AWAITING_VERIFICATION,
    )
    assert case.stage_deadline == local("2026-10-21 10:00")
    assert {x.kind for x in case.attachments.all()} == {"before", "after"}

    now("2026-10-20 15:00")
    case = step(
        s.rework_case(case, actor=a(office.grid_worker), reason="Batteries still inside"),
        State.REWORK,
    )
    assert case.stage_deadline == local("2026-10-23 15:00")  # rework: 3 working days

    now("2026-10-21 09:30")
    case = step(s.start_handling(case, actor=a(office.handler_b)), State.IN_PROGRESS)
    assert case.stage_deadline == local("2026-10-23 15:00")  # the rework clock keeps running
    now("2026-10-22 10:00")
    case = step(
        s.submit_for_verification(
            case, actor=a(office.handler_b), note="Removed", after=[png_bytes("blue")]
        ),
        State.AWAITING_VERIFICATION,
    )
    now("2026-10-22 14:00")
    case = step(s.verify_case(case, actor=a(office.grid_worker)), State.VERIFIED)
    assert case.stage_deadline == local("2026-10-23 14:00")  # callback within 1 working day

    now("2026-10-23 09:00")
    case = step(
        s.record_callback(
            case, actor=a(office.dispatcher), satisfaction=Satisfaction.DISSATISFIED, resolved=False
        ),
        State.CALLBACK,
    )
    now("2026-10-23 10:00")
    case = step(
        s.reopen_case(case, actor=a(office.dispatcher), reason="Reporter: still charging"),
        State.REOPENED,
    )
    assert case.resolve_deadline == local("2026-10-28 10:00")  # re-handling: 3 working days
    assert case.lead_organisation == office.dept_b

    now("2026-10-26 09:00")
    case = step(s.start_handling(case, actor=a(office.handler_b)), State.IN_PROGRESS)
    now("2026-10-26 10:00")
    case = step(
        s.register_long_term(case, actor=a(office.handler_b), reason="Needs a charging shed"),
        State.LONG_TERM,
    )
    assert case.stage_deadline is None and case.reminder_at is None

    now("2026-10-27 09:00")
    case = step(s.start_handling(case, actor=a(office.handler_b)), State.IN_PROGRESS)
    assert case.resolve_deadline == local("2026-11-03 09:00")  # a fresh 5-working-day clock
    now("2026-10-27 10:00")
    case = step(
        s.submit_for_verification(
            case, actor=a(office.handler_b), note="Shed built", after=[png_bytes("white")]
        ),
        State.AWAITING_VERIFICATION,
    )
    case = step(s.verify_case(case, actor=a(office.grid_worker)), State.VERIFIED)
    case = step(
        s.record_callback(
            case, actor=a(office.dispatcher), satisfaction=Satisfaction.SATISFIED, resolved=True
        ),
        State.CALLBACK,
    )
    now("2026-10-27 16:00")
    case = step(s.close_case(case, actor=a(office.dispatcher)), State.CLOSED)
    assert case.closed_at == local("2026-10-27 16:00")

    # Every state except the two dead ends, which the tests below reach.
    assert set(visited) == set(State.values) - {State.REJECTED, State.MERGED}

    with pytest.raises(InvalidTransition) as refused:
        s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    assert str(refused.value) == "This case is “Closed”; it can only be reopened."

    events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert [e.action for e in events][:4] == ["submit", "register", "dispatch", "return"]
    assert all(e.from_state == p.to_state for p, e in zip(events, events[1:], strict=False))
    returned = next(e for e in events if e.action == "return")
    assert returned.organisation == office.dept_a
    assert returned.reason == "Housing, not street management"
    assert Notification.objects.filter(user=office.resident).count() >= 4


def test_rejection_is_a_dead_end_with_a_reason(office, report, now):
    case = report()
    with pytest.raises(ValidationError):
        s.reject_case(case, actor=office.access(office.dispatcher), reason="bored")
    case = s.reject_case(case, actor=office.access(office.dispatcher), reason="out_of_scope")
    assert case.state == State.REJECTED
    with pytest.raises(InvalidTransition) as refused:
        s.register_case(case, actor=office.access(office.dispatcher))
    assert "nothing more can be done" in str(refused.value)


def test_an_invalid_transition_says_what_is_possible(office, report, now):
    case = report()
    with pytest.raises(InvalidTransition) as refused:
        s.close_case(case, actor=office.access(office.dispatcher))
    message = str(refused.value)
    assert "“Received”" in message
    assert "cannot be closed now" in message
    assert "registered; rejected; merged into another case" in message


def test_refusals_are_translated(office, report, now, settings):
    from django.utils import translation

    case = report()
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        s.close_case(case, actor=office.access(office.dispatcher))
    assert refused.value.code == "invalid_transition"


def test_only_the_lead_organisation_handles(office, report, now):
    case = report()
    s.register_case(case, actor=office.access(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=office.access(office.dispatcher))
    with pytest.raises(PermissionDenied):
        s.accept_case(case, actor=office.access(office.handler_b))
    with pytest.raises(PermissionDenied):
        s.register_case(case, actor=office.access(office.resident))


def test_reopening_needs_a_dissatisfied_callback(office, report, now):
    a = office.access
    case = report()
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    s.submit_for_verification(case, actor=a(office.handler_a), note="ok", after=[png_bytes()])
    s.verify_case(case, actor=a(office.grid_worker))
    s.record_callback(case, actor=a(office.dispatcher), satisfaction="basically_satisfied")
    with pytest.raises(InvalidTransition) as refused:
        s.reopen_case(case, actor=a(office.dispatcher), reason="changed my mind")
    assert refused.value.code == "not_dissatisfied"
    s.close_case(case, actor=a(office.dispatcher))
    assert case.state == State.CLOSED


def test_co_handlers_finish_their_part_before_verification(office, report, now):
    a = office.access
    case = report()
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    part = s.add_co_handler(case, office.dept_b, actor=a(office.handler_a), part="Tenant records")
    with pytest.raises(ValidationError):
        s.add_co_handler(case, office.dept_a, actor=a(office.handler_a), part="Itself")
    with pytest.raises(InvalidTransition) as refused:
        s.submit_for_verification(case, actor=a(office.handler_a), note="ok", after=[png_bytes()])
    assert refused.value.code == "co_handling_pending"
    assert "Housing office" in str(refused.value)
    with pytest.raises(PermissionDenied):
        s.complete_co_handling(part, actor=a(office.handler_a), note="not mine")
    part = s.complete_co_handling(part, actor=a(office.handler_b), note="Tenants listed")
    assert part.state == CoHandler.Progress.DONE
    s.submit_for_verification(case, actor=a(office.handler_a), note="ok", after=[png_bytes()])
    assert case.state == State.AWAITING_VERIFICATION
    co_event = CaseEvent.objects.get(case=case, action="complete_co_handling")
    assert co_event.organisation == office.dept_b


def test_the_table_has_every_state():
    assert set(TRANSITIONS) == set(State.values)
    assert TRANSITIONS[State.CLOSED] == {"reopen": State.REOPENED}
