"""Reminders with a calendar file, ratings by attendees, attendance figures and their export,
and the enterprise timeline."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Notification
from linli.frontoffice.events import services, statistics
from linli.frontoffice.events.models import Audience, Registration, State
from linli.frontoffice.events.tasks import send_reminders
from linli.registry.timeline import enterprise_timeline

pytestmark = pytest.mark.django_db


def seat(centre, event, user, state=State.CONFIRMED, n=1, enterprise=None) -> Registration:
    return Registration.objects.create(
        subdistrict=centre.subdistrict,
        event=event,
        user=user,
        enterprise=enterprise,
        state=state,
        sequence=n,
        registered_at=clock.now() - dt.timedelta(days=2),
    )


def test_reminder_once_with_ics_and_inbox(centre, make_event, django_capture_on_commit_callbacks):
    event = make_event(starts_in=dt.timedelta(hours=20), audience=Audience.PUBLIC)
    later = make_event(starts_in=dt.timedelta(days=5), audience=Audience.PUBLIC)
    seat(centre, event, centre.resident)
    seat(centre, later, centre.resident)
    seat(centre, event, centre.member, state=State.WAITLISTED, n=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.call() == 1
        assert send_reminders.call() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [centre.resident.email]
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics" and mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "Tax filing training" in text and "Asia/Shanghai" in text
    assert (
        Notification.objects.filter(user=centre.resident, title__startswith="Reminder").count() == 1
    )


def test_only_attendees_rate_once_after_the_end(centre, make_event):
    event = make_event(
        starts_in=-dt.timedelta(hours=3),
        hours=1,
        audience=Audience.PUBLIC,
        registration_opens_at=clock.now() - dt.timedelta(days=5),
        registration_closes_at=clock.now() - dt.timedelta(days=1),
    )
    came = seat(centre, event, centre.resident, state=State.CHECKED_IN)
    stayed_home = seat(centre, event, centre.member, n=2)
    with pytest.raises(ValidationError, match="attended"):
        services.rate_event(stayed_home, actor=centre.access(centre.member), rating=5)
    with pytest.raises(ValidationError) as exc:
        services.rate_event(came, actor=centre.access(centre.resident), rating=6)
    assert "rating" in exc.value.message_dict
    services.rate_event(came, actor=centre.access(centre.resident), rating=4, comment="Useful")
    with pytest.raises(ValidationError, match="already"):
        services.rate_event(came, actor=centre.access(centre.resident), rating=5)
    figures = statistics.event_figures(event)
    assert (figures.registered, figures.confirmed, figures.checked_in) == (2, 2, 1)
    assert figures.no_show_rate == 0.5
    assert figures.mean_rating == 4.0


def test_rating_before_the_end_is_refused(centre, make_event):
    event = make_event(
        starts_in=-dt.timedelta(minutes=30),
        hours=2,
        audience=Audience.PUBLIC,
        registration_opens_at=clock.now() - dt.timedelta(days=5),
        registration_closes_at=clock.now() - dt.timedelta(days=1),
    )
    came = seat(centre, event, centre.resident, state=State.CHECKED_IN)
    with pytest.raises(ValidationError, match="ended"):
        services.rate_event(came, actor=centre.access(centre.resident), rating=5)


def test_figures_per_type_and_their_excel_export(centre, make_event, client_for):
    past = dict(
        registration_opens_at=clock.now() - dt.timedelta(days=30),
        registration_closes_at=clock.now() - dt.timedelta(days=11),
    )
    training = make_event(starts_in=-dt.timedelta(days=10), **past)
    clinic = make_event(
        starts_in=-dt.timedelta(days=9), kind="legal_clinic", title="Contracts", **past
    )
    seat(centre, training, centre.member, state=State.CHECKED_IN)
    seat(centre, training, centre.colleague, n=2)
    seat(centre, clinic, centre.resident, state=State.CHECKED_IN)
    start = clock.now() - dt.timedelta(days=60)
    system = Access.system(centre.subdistrict)
    rows = {f.label: f for f in statistics.by_kind(system, start, clock.now())}
    assert rows["Training"].no_show_rate == 0.5
    assert rows["Legal clinic"].no_show_rate == 0.0
    response = client_for(centre.staff).get(reverse("events:statistics_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Event or type"
    assert ["Training", 1, 2, 2, 1, 0, "50.0%", 0, None] in values
    assert any(row and row[0] == "Contracts" for row in values)


def test_timeline_lists_the_enterprise_registrations(centre, make_event):
    event = make_event(
        starts_in=-dt.timedelta(days=2),
        registration_opens_at=clock.now() - dt.timedelta(days=9),
        registration_closes_at=clock.now() - dt.timedelta(days=3),
    )
    r = seat(centre, event, centre.member, state=State.CHECKED_IN, enterprise=centre.enterprise)
    Registration.objects.filter(pk=r.pk).update(checked_in_at=event.ends_at)
    entries = enterprise_timeline(centre.enterprise, centre.access(centre.member), kinds=["event"])
    titles = [e.title for e in entries]
    assert titles == ["Attended Tax filing training", "Registered for Tax filing training"]
    outsider = enterprise_timeline(
        centre.enterprise, centre.access(centre.outsider), kinds=["event"]
    )
    assert outsider == []
    assert enterprise_timeline(
        centre.enterprise, Access.system(centre.subdistrict), kinds=["event"]
    )
