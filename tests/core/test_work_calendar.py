"""Next year's holidays: the administrators are warned from 1 November while next year is still
on the weekday rule, and the State Council's notice is entered in one form, audited, and
announced to the apps whose deadlines depend on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.models import AuditEntry, Notification, WorkDay
from linli.core.tasks import warn_calendar
from linli.core.work_calendar import pending_year, work_calendar_changed

# chinese-calendar knows years up to its release; 2030 is beyond any release here.
UNKNOWN = 2030


@pytest.fixture
def at(monkeypatch):
    def set_day(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=clock.local_zone())
        monkeypatch.setattr(clock, "now", lambda: moment)

    return set_day


@pytest.fixture
def admin(subdistrict, make_user):
    return make_user("subdistrict_admin", subdistrict)


def test_the_warning_starts_on_1_november_and_is_sent_once(at, admin, db) -> None:
    at(dt.date(UNKNOWN - 1, 10, 31))
    assert pending_year() is None and warn_calendar.call() == 0
    at(dt.date(UNKNOWN - 1, 11, 1))
    assert pending_year() == UNKNOWN
    assert warn_calendar.call() == 1
    assert warn_calendar.call() == 0  # not again the next day
    with scopes_disabled():
        (message,) = Notification.objects.filter(user=admin)
    assert str(UNKNOWN) in message.title and message.url == reverse("work_calendar")


def test_the_page_warns_and_the_notice_moves_the_days(at, admin, client_for) -> None:
    at(dt.date(UNKNOWN - 1, 12, 1))
    client = client_for(admin)
    assert "holiday schedule is not entered yet" in client.get(reverse("work_calendar")).text
    heard = []

    def listener(sender, days, actor, **kwargs):
        heard.append(days)

    work_calendar_changed.connect(listener)
    try:
        response = client.post(
            reverse("work_calendar"),
            {
                "year": UNKNOWN,
                "holidays": f"{UNKNOWN}-01-01 {UNKNOWN}-01-01 元旦\n"
                f"{UNKNOWN}-02-02 {UNKNOWN}-02-08 春节",
                "workdays": f"{UNKNOWN}-02-09 春节调休",  # a Saturday
            },
        )
    finally:
        work_calendar_changed.disconnect(listener)
    assert response.status_code == 302
    new_year = WorkDay.objects.get(date=dt.date(UNKNOWN, 1, 1))
    assert not new_year.is_workday and new_year.name == "元旦"
    assert WorkDay.objects.get(date=dt.date(UNKNOWN, 2, 9)).is_workday
    assert pending_year() is None
    (days,) = heard
    assert dt.date(UNKNOWN, 2, 4) in days and dt.date(UNKNOWN, 2, 9) in days
    assert dt.date(UNKNOWN, 2, 2) not in days  # a Saturday: it was a day off already
    entry = AuditEntry.objects.get(action="core.calendar.notice")
    assert entry.object_id == str(UNKNOWN) and f"{UNKNOWN}-02-09" in entry.after["changed"]


def test_a_notice_with_a_wrong_line_says_which_and_changes_nothing(at, admin, client_for) -> None:
    at(dt.date(UNKNOWN - 1, 12, 1))
    response = client_for(admin).post(
        reverse("work_calendar"),
        {"year": UNKNOWN, "holidays": f"{UNKNOWN}-10-01 {UNKNOWN}-10-07 国庆\n{UNKNOWN}-13-01 x y"},
    )
    assert response.status_code == 200 and "Line 2" in response.text
    assert WorkDay.objects.get(date=dt.date(UNKNOWN, 10, 1)).is_workday  # unchanged


def test_only_administrators_edit_the_calendar(subdistrict, make_user, client_for) -> None:
    leader = client_for(make_user("leader", subdistrict))
    assert leader.get(reverse("work_calendar")).status_code == 403


def test_the_official_holidays_read_in_the_readers_language(at, admin, client_for) -> None:
    """The package seeds its holiday names in English; a Chinese reader sees them in Chinese,
    and a day named by hand from a notice keeps its name."""
    at(dt.date(2026, 3, 1))
    client = client_for(admin)
    client.get(reverse("work_calendar"))  # seeds 2026
    WorkDay.objects.filter(date=dt.date(2026, 2, 28)).update(name="春节调休")
    chinese = client.get(reverse("work_calendar"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "端午节" in chinese and "国庆节" in chinese and "春节调休" in chinese
    assert "Dragon Boat Festival" not in chinese and "National Day" not in chinese
    english = client.get(reverse("work_calendar"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Dragon Boat Festival" in english and "端午节" not in english
