"""The queue verbs: numbering per service and day, calling, serving, transfers, refusals with
a clear message, the estimated wait, and the end-of-day close."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.frontoffice.queue import estimates, services
from linli.frontoffice.queue.models import DayCounter, Ticket, TicketKind, TicketState
from linli.frontoffice.queue.services import QueueRefusal
from linli.frontoffice.queue.tasks import close_yesterday


def kiosk(hallway):
    return Access.anonymous(hallway.subdistrict)


def issue(hallway, service, **kwargs):
    ticket, _token = services.issue_ticket(
        service, actor=kiosk(hallway), device=hallway.hall, **kwargs
    )
    return ticket


def test_numbers_run_per_service_and_restart_each_local_day(in_hall, now):
    h = in_hall
    now("2026-11-27 08:30")
    assert [issue(h, h.a).code for _ in range(3)] == ["A001", "A002", "A003"]
    assert issue(h, h.b).code == "B001"
    # 23:59 and 00:01 Shanghai time are two days, even though both are 27 November in UTC.
    now("2026-11-27 23:59")
    assert issue(h, h.a).code == "A004"
    now("2026-11-28 00:01")
    first = issue(h, h.a)
    assert first.code == "A001"
    assert str(first.day) == "2026-11-28"
    assert DayCounter.objects.get(service=h.a, day=first.day).last_number == 1


def test_the_database_refuses_a_duplicate_number(in_hall, now):
    h = in_hall
    ticket = issue(h, h.a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            subdistrict=h.subdistrict,
            service=h.a,
            day=ticket.day,
            number=ticket.number,
            queued_at=ticket.queued_at,
            issued_at=ticket.issued_at,
        )


def test_a_kiosk_issues_only_for_its_own_hall_and_never_appointments(in_hall, subdistrict, now):
    from tests.queue.conftest import build_hall

    h = in_hall
    elsewhere = build_hall(subdistrict, tag="2")
    with pytest.raises(PermissionDenied):
        services.issue_ticket(elsewhere.a, actor=kiosk(h), device=h.hall)
    with pytest.raises(PermissionDenied):
        issue(h, h.a, kind=TicketKind.APPOINTMENT, slot_start=now())
    with pytest.raises(PermissionDenied):
        services.issue_ticket(h.a, actor=kiosk(h))  # no device and nobody signed in


def test_bad_issue_input_names_the_field(in_hall, now):
    h = in_hall
    with pytest.raises(ValidationError) as refused:
        issue(h, h.a, kind=TicketKind.PRIORITY)
    assert "priority_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.issue_ticket(h.a, actor=h.access(), kind=TicketKind.APPOINTMENT)
    assert "slot_start" in refused.value.message_dict
    assert not Ticket.objects.exists()
    assert not DayCounter.objects.filter(last_number__gt=0).exists()


def test_a_full_visit_keeps_every_time_and_writes_the_audit_log(in_hall, now):
    h = in_hall
    now("2026-11-27 09:00")
    ticket = issue(h, h.a)
    now(minutes=7)
    called = services.call_next(h.window1, actor=h.access())
    assert called == ticket and called.state == TicketState.CALLED
    now(minutes=1)
    services.recall(called, actor=h.access())
    now(minutes=1)
    services.start_service(called, actor=h.access())
    now(minutes=5)
    done = services.finish_service(called, actor=h.access())
    assert done.state == TicketState.DONE
    assert (done.called_at - done.issued_at).total_seconds() == 7 * 60
    assert (done.finished_at - done.started_at).total_seconds() == 5 * 60
    assert done.calls == 2
    actions = list(
        AuditEntry.objects.filter(object_type="queue.ticket", object_id=str(ticket.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "queue.ticket.issue",
        "queue.ticket.call",
        "queue.ticket.recall",
        "queue.ticket.start",
        "queue.ticket.finish",
    ]


def test_invalid_transitions_are_refused_with_a_clear_message(in_hall, now):
    h = in_hall
    ticket = issue(h, h.a)
    with pytest.raises(QueueRefusal) as refused:
        services.start_service(ticket, actor=h.access())
    assert refused.value.message == (
        "A001 is “Waiting”; it can only be started when it is “Called”."
    )
    services.call_next(h.window1, actor=h.access())
    with pytest.raises(QueueRefusal) as refused:
        services.finish_service(ticket, actor=h.access())
    assert refused.value.message == (
        "A001 is “Called”; it can only be finished when it is “Being served”."
    )
    services.mark_no_show(ticket, actor=h.access())
    with pytest.raises(QueueRefusal) as refused:
        services.recall(ticket, actor=h.access())
    assert "No show" in refused.value.message
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.NO_SHOW


def test_a_counter_with_a_ticket_open_cannot_call_the_next(in_hall, now):
    h = in_hall
    issue(h, h.a)
    issue(h, h.a)
    services.call_next(h.window1, actor=h.access())
    with pytest.raises(QueueRefusal) as refused:
        services.call_next(h.window1, actor=h.access())
    assert "Window 1 still has A001 open" in refused.value.message
    with pytest.raises(QueueRefusal):
        services.close_counter(h.window1, actor=h.access())


def test_who_may_work_a_counter(in_hall, now):
    h = in_hall
    issue(h, h.b)
    with pytest.raises(PermissionDenied):
        services.call_next(h.window2, actor=h.access(h.handler))
    with pytest.raises(PermissionDenied):
        services.call_next(h.window2, actor=h.access(h.clerk))  # assigned to window 1 only
    # The colleague works for the centre that owns the hall: any of its windows.
    assert services.call_next(h.window2, actor=h.access(h.colleague)).code == "B001"


def test_two_counters_never_call_the_same_ticket_and_each_serves_its_services(in_hall, now):
    h = in_hall
    a1, b1, c1 = issue(h, h.a), issue(h, h.b), issue(h, h.c)
    now(minutes=1)
    first = services.call_next(h.window1, actor=h.access(h.admin))
    second = services.call_next(h.window2, actor=h.access(h.admin))
    assert (first, second) == (a1, b1)
    services.mark_no_show(first, actor=h.access(h.admin))
    services.mark_no_show(second, actor=h.access(h.admin))
    assert services.call_next(h.window1, actor=h.access(h.admin)) is None  # C is not window 1's
    assert services.call_next(h.window2, actor=h.access(h.admin)) == c1
    assert Ticket.objects.get(pk=a1.pk).counter == h.window1


def test_calling_opens_the_window_and_closing_it_takes_it_off_the_estimate(in_hall, now):
    h = in_hall
    first = issue(h, h.a)
    second = issue(h, h.a)
    assert estimates.estimate(second).wait is None  # no window open yet
    services.call_next(h.window1, actor=h.access())
    h.window1.refresh_from_db()
    assert h.window1.is_open
    estimate = estimates.estimate(second)
    # Nobody ahead any more (A001 is at the window); the default 6 minutes a person.
    assert (estimate.ahead, estimate.open_counters, estimate.wait_minutes) == (0, 1, 0)
    third = issue(h, h.a)
    assert estimates.estimate(third).wait_minutes == 6
    services.mark_no_show(first, actor=h.access())
    services.close_counter(h.window1, actor=h.access())
    assert estimates.estimate(third).wait is None


def test_the_estimate_uses_the_rolling_mean_service_time(in_hall, now):
    h = in_hall
    now("2026-11-27 09:00")
    for minutes in (2, 4, 6, 8, 10):
        ticket = issue(h, h.b)
        services.call_next(h.window2, actor=h.access(h.admin))
        services.start_service(ticket, actor=h.access(h.admin))
        now(minutes=minutes * 2)  # mean 12 minutes
        services.finish_service(ticket, actor=h.access(h.admin))
    services.open_counter(h.window1, actor=h.access(h.admin))
    waiting = [issue(h, h.b) for _ in range(4)]
    estimate = estimates.estimate(waiting[-1])
    # 3 ahead × 12 minutes ÷ 2 open windows serving B.
    assert (estimate.ahead, estimate.open_counters, estimate.wait_minutes) == (3, 2, 18)


def test_a_priority_ticket_jumps_the_line_up_to_the_streak(in_hall, now):
    h = in_hall
    h.a.priority_streak = 1
    h.a.save()
    normal = [issue(h, h.a) for _ in range(2)]
    elderly = [issue(h, h.a, kind="priority", priority_reason="elderly") for _ in range(2)]
    assert estimates.estimate(elderly[0]).ahead == 0
    assert estimates.estimate(normal[0]).ahead == 1
    order = []
    for _ in range(4):
        ticket = services.call_next(h.window1, actor=h.access())
        order.append(ticket.code)
        services.mark_no_show(ticket, actor=h.access())
    assert order == ["A003", "A001", "A004", "A002"]


def test_a_transfer_keeps_the_place_in_line_and_the_link_follows(in_hall, now):
    h = in_hall
    now("2026-11-27 09:00")
    ticket, token = services.issue_ticket(h.a, actor=kiosk(h), device=h.hall)
    now(minutes=5)
    later_b = issue(h, h.b)
    now(minutes=5)
    called = services.call_next(h.window1, actor=h.access())
    assert called == ticket
    moved = services.transfer_ticket(called, h.b, actor=h.access())
    assert moved.code == "B002"
    assert moved.queued_at == ticket.queued_at
    old = Ticket.objects.get(pk=ticket.pk)
    assert (old.state, old.transferred_to) == (TicketState.TRANSFERRED, moved)
    assert services.ticket_for_token(token) == moved
    # It joined a line before B001 did, so it goes first.
    assert services.call_next(h.window2, actor=h.access(h.admin)) == moved
    assert Ticket.objects.get(pk=later_b.pk).state == TicketState.ISSUED


def test_a_transfer_must_go_to_another_service_of_the_hall(in_hall, subdistrict, now):
    from tests.queue.conftest import build_hall

    h = in_hall
    elsewhere = build_hall(subdistrict, tag="2")
    ticket = issue(h, h.a)
    services.call_next(h.window1, actor=h.access())
    with pytest.raises(ValidationError) as refused:
        services.transfer_ticket(ticket, h.a, actor=h.access())
    assert "service" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.transfer_ticket(ticket, elsewhere.b, actor=h.access())
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CALLED


def test_the_holder_cancels_with_the_link_secret_only(in_hall, now):
    h = in_hall
    ticket, token = services.issue_ticket(h.a, actor=kiosk(h), device=h.hall)
    with pytest.raises(PermissionDenied):
        services.cancel_ticket(ticket, actor=kiosk(h), token="wrong")
    assert services.cancel_ticket(ticket, actor=kiosk(h), token=token).state == "cancelled"
    with pytest.raises(QueueRefusal):
        services.cancel_ticket(ticket, actor=kiosk(h), token=token)


def test_the_night_closes_past_days_once(in_hall, now):
    h = in_hall
    admin = h.access(h.admin)
    now("2026-11-26 16:00")
    done, called, waiting = (issue(h, h.a) for _ in range(3))
    serving = issue(h, h.b)
    services.call_next(h.window1, actor=admin)
    services.start_service(done, actor=admin)
    services.finish_service(done, actor=admin)
    services.call_next(h.window1, actor=admin)
    services.call_next(h.window2, actor=admin)
    services.start_service(serving, actor=admin)
    now("2026-11-27 00:20")
    today_ticket = issue(h, h.a)
    assert close_yesterday() == 3
    assert close_yesterday() == 0
    state = {t.pk: (t.state, t.closed_at_day_end) for t in Ticket.objects.all()}
    assert state[done.pk] == (TicketState.DONE, False)
    assert state[called.pk] == (TicketState.NO_SHOW, True)
    assert state[waiting.pk] == (TicketState.CANCELLED, True)
    assert state[serving.pk] == (TicketState.DONE, True)
    assert state[today_ticket.pk] == (TicketState.ISSUED, False)
    assert AuditEntry.objects.filter(action="queue.day.close").count() == 1
