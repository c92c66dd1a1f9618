"""Duplicates are found at intake (same category, within R metres and T days, still open), and a
merge keeps every reporter, each of whom hears about the merged case from then on."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from linli.cases.duplicates import find_duplicates, haversine_m
from linli.cases.models import CaseEvent, CaseReporter, State
from linli.cases.services import (
    Contact,
    case_for_tracking_token,
    merge_cases,
    reject_case,
    submit_case,
)
from linli.core.models import Notification
from linli.core.sms import MemorySmsBackend

# About 0.0009° of latitude is 100 m.
NEAR = (121.459, 31.2375)  # ~56 m north
FAR = (121.459, 31.2385)  # ~167 m north


def test_haversine_is_in_metres():
    assert haversine_m(121.459, 31.237, 121.459, 31.238) == pytest.approx(111.2, abs=0.5)


def test_open_cases_nearby_of_the_same_category_in_the_window(office, report, now):
    now("2026-09-29 10:00")
    first = report()
    report(category=office.enquiry, extra={})  # another category
    far = report(lon=FAR[0], lat=FAR[1])
    now("2026-10-08 10:00")  # nine days later: only reports of the last seven days count
    recent = report(lon=NEAR[0], lat=NEAR[1])
    assert [c.case for c in find_duplicates(office.battery, *NEAR)] == [recent]

    now("2026-09-30 10:00")
    found = find_duplicates(office.battery, 121.459, 31.237)
    assert [c.case for c in found] == [first]
    assert found[0].distance_m == pytest.approx(0, abs=0.01)
    assert far not in [c.case for c in found]

    reject_case(first, actor=office.access(office.dispatcher), reason="insufficient_info")
    assert find_duplicates(office.battery, 121.459, 31.237) == []


def test_the_radius_is_set_per_category(office, report, now):
    report()
    assert find_duplicates(office.battery, *FAR) == []
    office.battery.duplicate_radius_m = 200
    office.battery.save()
    assert len(find_duplicates(office.battery, *FAR)) == 1


def test_a_merge_keeps_every_reporter_and_tells_them_all(
    office, report, now, settings, django_capture_on_commit_callbacks
):
    settings.LINLI_SMS_BACKEND = "linli.core.sms.MemorySmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MemorySmsBackend.outbox.clear()
    a = office.access
    main = report()
    neighbour_case = report(actor=a(office.neighbour), lon=NEAR[0], lat=NEAR[1])
    caller_case = submit_case(
        actor=a(office.dispatcher),
        category=office.battery,
        channel="hotline_12345",
        description="Caller: batteries charging in the corridor",
        lon=NEAR[0],
        lat=NEAR[1],
        extra={"floor": 3},
        contact=Contact(name="Ms Li", phone="13812345678"),
    )
    assert caller_case.tracking_token  # a caller without an account gets a secret link
    assert [c.case for c in find_duplicates(office.battery, *NEAR, exclude=caller_case)] == [
        neighbour_case,
        main,
    ]

    with pytest.raises(PermissionDenied):
        merge_cases(neighbour_case, main, actor=a(office.handler_a))
    merge_cases(neighbour_case, main, actor=a(office.dispatcher))
    with django_capture_on_commit_callbacks(execute=True):
        merge_cases(caller_case, main, actor=a(office.dispatcher), note="Same stairwell")

    assert caller_case.state == State.MERGED and caller_case.merged_into == main
    reporters = CaseReporter.objects.filter(case=main)
    assert {r.user for r in reporters} == {office.resident, office.neighbour, None}
    assert {r.name for r in reporters if r.user is None} == {"Ms Li"}
    assert case_for_tracking_token(caller_case.tracking_token) == main

    absorbed = CaseEvent.objects.filter(case=main, action="absorb")
    assert absorbed.count() == 2
    assert Notification.objects.filter(user=office.resident, title__contains="merged").exists()
    assert Notification.objects.filter(user=office.neighbour, title__contains="merged").exists()
    assert any(
        phone == "13812345678" and main.number in text for phone, text in MemorySmsBackend.outbox
    )

    # From now on every reporter hears about the surviving case.
    mail.outbox.clear()
    MemorySmsBackend.outbox.clear()
    from linli.cases import services as s

    s.register_case(main, actor=a(office.dispatcher))
    s.dispatch_case(main, office.dept_a, actor=a(office.dispatcher))
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(main, actor=a(office.handler_a))
    for person in (office.resident, office.neighbour):
        assert Notification.objects.filter(user=person, title__contains="accepted").exists()
    assert {m.to[0] for m in mail.outbox} == {office.resident.email, office.neighbour.email}
    assert [phone for phone, _ in MemorySmsBackend.outbox] == ["13812345678"]


def test_a_merge_into_a_closed_case_is_refused(office, report, now):
    from linli.cases.workflow import InvalidTransition

    a = office.access
    target = report()
    reject_case(target, actor=a(office.dispatcher), reason="out_of_scope")
    duplicate = report()
    with pytest.raises(InvalidTransition) as refused:
        merge_cases(duplicate, target, actor=a(office.dispatcher))
    assert refused.value.code == "target_closed"
    with pytest.raises(ValidationError):
        merge_cases(duplicate, duplicate, actor=a(office.dispatcher))
