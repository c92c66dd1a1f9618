"""The pages a person uses: the list and calendar, registering from the event page, my
registrations with a QR code, and the organiser's event form and attendance list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.core import clock
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Audience, Event, Registration, State

pytestmark = pytest.mark.django_db


def test_register_from_the_event_page_then_waitlist(centre, make_event, client_for):
    event = make_event(capacity=1)
    url = reverse("events:register", args=[event.pk])
    ent = centre.enterprise.pk
    page = client_for(centre.member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Acme Ltd" in page and "Register" in page
    response = client_for(centre.member).post(url, {"enterprise": ent}, follow=True)
    assert "Your seat is confirmed." in response.content.decode()
    response = client_for(centre.colleague).post(url, {"enterprise": ent}, follow=True)
    assert "number 1 on the waitlist" in response.content.decode()
    assert list(Registration.objects.order_by("sequence").values_list("state", flat=True)) == [
        State.CONFIRMED,
        State.WAITLISTED,
    ]


def test_event_signup_is_called_signup_in_chinese_not_filing_a_case(centre, make_event, client_for):
    event = make_event()
    client = client_for(centre.staff)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    detail = client.get(reverse("events:detail", args=[event.pk]), **zh).content.decode()
    attendance = client.get(reverse("events:attendance", args=[event.pk]), **zh).content.decode()
    assert "报名时间" in detail and "报名人数" in attendance
    assert "立案" not in detail + attendance  # 立案 is what a case goes through


def test_a_refused_registration_says_why(centre, make_event, client_for):
    event = make_event()
    response = client_for(centre.resident).post(
        reverse("events:register", args=[event.pk]), follow=True
    )
    # A resident does not see an enterprise-only event at all.
    assert response.status_code == 404
    public = make_event(
        audience=Audience.PUBLIC, registration_opens_at=clock.now() + dt.timedelta(days=1)
    )
    response = client_for(centre.resident).post(
        reverse("events:register", args=[public.pk]), follow=True
    )
    assert "Registration opens on" in response.content.decode()
    assert not Registration.objects.exists()


def test_list_and_calendar(centre, make_event, client_for):
    event = make_event(audience=Audience.PUBLIC, title="Health talk")
    make_event(title="Enterprise only")
    client = client_for(centre.resident)
    page = client.get(reverse("events:list")).content.decode()
    assert "Health talk" in page and "Enterprise only" not in page
    month = clock.local(event.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:list") + f"?view=calendar&month={month}").content.decode()
    assert "Health talk" in page and "events-calendar" in page


def test_my_registrations_show_a_qr_for_a_seat_only(centre, make_event, client_for):
    seated = make_event(audience=Audience.PUBLIC, capacity=1, title="Seated")
    services.register(seated, actor=centre.access(centre.resident))
    full = make_event(audience=Audience.PUBLIC, capacity=1, title="Full")
    services.register(full, actor=centre.access(centre.member))
    waiting = services.register(full, actor=centre.access(centre.resident))
    page = client_for(centre.resident).get(reverse("events:mine")).content.decode()
    assert page.count("<svg") == 1
    assert waiting.code not in page
    assert "Number 1 on the waitlist." in page


def test_organiser_creates_an_event_with_field_errors_first(centre, client_for):
    client = client_for(centre.staff)
    data = {
        "kind": "lecture",
        "title": "Data compliance lecture",
        "audience": "enterprises",
        "place": centre.place.pk,
        "starts_at": "2030-05-10T14:00",
        "ends_at": "2030-05-10T13:00",
        "registration_opens_at": "2030-04-01T09:00",
        "registration_closes_at": "2030-05-09T17:00",
        "capacity": "40",
        "seats_per_enterprise": "2",
        "offer_hold_hours": "24",
    }
    page = client.post(reverse("events:create"), data).content.decode()
    assert "The event must end after it starts." in page
    assert not Event.objects.exists()
    response = client.post(reverse("events:create"), data | {"ends_at": "2030-05-10T16:00"})
    event = Event.objects.get()
    assert response["Location"] == reverse("events:attendance", args=[event.pk])
    assert clock.local(event.starts_at).hour == 14  # entered in Shanghai time


def test_attendance_list_query_budget(centre, make_event, client_for):
    event = make_event(audience=Audience.PUBLIC, capacity=50)
    for user in (centre.member, centre.colleague, centre.resident, centre.outsider):
        services.register(event, actor=centre.access(user))
    client = client_for(centre.staff)
    url = reverse("events:attendance", args=[event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count("state-confirmed") == 4
    assert len(queries) <= 12
