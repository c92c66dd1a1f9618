"""What a person learns before signing up: the event's description and agenda (written by the
organiser in the event form), where signup stands on the list (not open yet, closed, full), and
"my registrations" split into what is coming and what is over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.core import clock
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Event, Registration, State

pytestmark = pytest.mark.django_db

EVENT_FORM = {
    "kind": "lecture",
    "title": "Data compliance lecture",
    "description": "What the new rules ask.\n\nBring your questions.",
    "audience": "enterprises",
    "starts_at": "2030-05-10T14:00",
    "ends_at": "2030-05-10T16:00",
    "registration_opens_at": "2030-04-01T09:00",
    "registration_closes_at": "2030-05-09T17:00",
    "capacity": "40",
    "seats_per_enterprise": "2",
    "offer_hold_hours": "24",
}


def test_organiser_writes_a_description_and_an_agenda_people_read(centre, client_for):
    client = client_for(centre.staff)
    data = EVENT_FORM | {"place": centre.place.pk}
    bad = client.post(reverse("events:create"), data | {"agenda": "14:00 Opening\nlater Q&A"})
    assert "“later Q&amp;A” does not" in bad.content.decode()
    assert not Event.objects.exists()
    agenda = "14:00 Opening\n\n 14:10  The new rules \n15:30 Questions"
    client.post(reverse("events:create"), data | {"agenda": agenda})
    event = Event.objects.get()
    assert event.agenda == [
        {"time": "14:00", "title": "Opening"},
        {"time": "14:10", "title": "The new rules"},
        {"time": "15:30", "title": "Questions"},
    ]
    form = client.get(reverse("events:edit", args=[event.pk])).content.decode()
    assert "14:10 The new rules" in form  # the agenda comes back as it is written

    page = client_for(centre.member).get(reverse("events:detail", args=[event.pk]))
    html = page.content.decode()
    assert "<p>What the new rules ask.</p>" in html and "<p>Bring your questions.</p>" in html
    agenda_html = html.split('class="agenda"')[1].split("</ol>")[0]
    assert (
        agenda_html.index("14:00")
        < agenda_html.index("The new rules")
        < agenda_html.index("Questions")
    )
    api = client_for(centre.member).get(f"/api/v1/events/{event.pk}").json()
    assert api["agenda"][1] == {"time": "14:10", "title": "The new rules"}


def test_list_says_when_signup_opens_and_when_it_is_closed_or_full(centre, make_event, client_for):
    now = clock.now()
    later = make_event(
        title="Later lecture",
        starts_in=dt.timedelta(days=20),
        registration_opens_at=now + dt.timedelta(days=5),
        registration_closes_at=now + dt.timedelta(days=19),
    )
    closed = make_event(
        title="Closed training",
        registration_opens_at=now - dt.timedelta(days=5),
        registration_closes_at=now - dt.timedelta(hours=1),
    )
    full = make_event(title="Popular clinic", capacity=1)
    services.register(
        full, actor=centre.access(centre.colleague), enterprise_id=centre.enterprise.pk
    )
    html = client_for(centre.member).get(reverse("events:list")).content.decode()

    def card(event: Event) -> str:
        return html.split(f'data-key="{event.pk}"')[1].split("</article>")[0]

    opens = clock.local(later.registration_opens_at)
    assert "Signup opens on" in card(later) and "in 5 days" in card(later)
    assert opens.strftime("%H:%M") in card(later)
    assert "Signup closed" in card(closed)
    assert "Full – waitlist open" in card(full)


def test_my_registrations_put_what_is_coming_first_and_page_the_past(
    centre, make_event, client_for, monkeypatch
):
    member = centre.access(centre.member)
    soon = make_event(title="Soon", starts_in=dt.timedelta(days=1))
    later = make_event(title="Later", starts_in=dt.timedelta(days=9))
    for event in (later, soon):
        services.register(event, actor=member, enterprise_id=centre.enterprise.pk)
    past = []
    for n in range(23):
        event = make_event(title=f"Past {n:02}", starts_in=dt.timedelta(days=1 + n))
        services.register(event, actor=member, enterprise_id=centre.enterprise.pk)
        past.append(event)
    # Those 23 events are over: move them into the past.
    for n, event in enumerate(past):
        start = clock.now() - dt.timedelta(days=30 + n)
        Event.objects.filter(pk=event.pk).update(
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            registration_opens_at=start - dt.timedelta(days=7),
            registration_closes_at=start - dt.timedelta(hours=1),
        )
    Registration.objects.filter(event__in=past).update(state=State.CHECKED_IN)
    client = client_for(centre.member)
    html = client.get(reverse("events:mine")).content.decode()
    upcoming, past_part = html.split('id="past"')
    assert upcoming.index("Soon") < upcoming.index("Later")
    assert "Past 0" not in upcoming
    assert "Past 00" in past_part and "Past 19" in past_part and "Past 20" not in past_part
    assert past_part.index("Past 00") < past_part.index("Past 01")  # latest first
    assert "<svg" in upcoming  # a seat coming up shows its QR code
    second = client.get(reverse("events:mine"), {"page": 2}).content.decode()
    assert "Past 22" in second.split('id="past"')[1]
