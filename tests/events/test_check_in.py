"""QR check-in: every result code, idempotency, and the staff page showing the result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.core import clock
from linli.core.models import AuditEntry
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Audience, Registration, State
from linli.frontoffice.events.services import CheckInCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(centre, make_event):
    """An event that started ten minutes ago, with the resident confirmed."""
    event = make_event(
        starts_in=-dt.timedelta(minutes=10),
        audience=Audience.PUBLIC,
        registration_opens_at=clock.now() - dt.timedelta(days=3),
        registration_closes_at=clock.now() - dt.timedelta(minutes=20),
    )
    registration = Registration.objects.create(
        subdistrict=centre.subdistrict,
        event=event,
        user=centre.resident,
        state=State.CONFIRMED,
        sequence=1,
        registered_at=clock.now() - dt.timedelta(days=1),
    )
    return event, registration


def test_ok_then_already_checked_in_changes_nothing(centre, today):
    event, registration = today
    staff = centre.access(centre.staff)
    first = services.check_in(event, registration.code, actor=staff)
    assert first.result == CheckInCode.OK
    registration.refresh_from_db()
    checked_at = registration.checked_in_at
    assert registration.state == State.CHECKED_IN
    again = services.check_in(event, registration.code, actor=staff)
    assert again.result == CheckInCode.ALREADY_CHECKED_IN
    registration.refresh_from_db()
    assert registration.checked_in_at == checked_at
    assert AuditEntry.objects.filter(action="events.registration.check_in").count() == 1


def test_a_scanned_url_works_like_the_code(centre, today):
    event, registration = today
    url = "https://linli.example/events/scan/" + registration.code + "/"
    assert services.check_in(event, url, actor=centre.access(centre.staff)).result == "ok"


def test_not_registered_for_an_unknown_code_or_a_waitlisted_person(centre, today):
    event, registration = today
    staff = centre.access(centre.staff)
    assert services.check_in(event, "nonsense", actor=staff).result == CheckInCode.NOT_REGISTERED
    Registration.objects.filter(pk=registration.pk).update(state=State.WAITLISTED)
    assert (
        services.check_in(event, registration.code, actor=staff).result
        == CheckInCode.NOT_REGISTERED
    )


def test_cancelled(centre, today):
    event, registration = today
    Registration.objects.filter(pk=registration.pk).update(state=State.CANCELLED)
    result = services.check_in(event, registration.code, actor=centre.access(centre.staff))
    assert result.result == CheckInCode.CANCELLED


def test_wrong_event(centre, today, make_event):
    event, registration = today
    other = make_event(
        starts_in=-dt.timedelta(minutes=5),
        registration_closes_at=clock.now() - dt.timedelta(minutes=10),
    )
    result = services.check_in(other, registration.code, actor=centre.access(centre.staff))
    assert result.result == CheckInCode.WRONG_EVENT
    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED


def test_outside_time(centre, today):
    event, registration = today
    staff = centre.access(centre.staff)
    tomorrow = clock.now() + dt.timedelta(days=1)
    assert services.check_in(event, registration.code, actor=staff, now=tomorrow).result == (
        CheckInCode.OUTSIDE_TIME
    )
    early = event.starts_at - dt.timedelta(hours=2)
    assert services.check_in(event, registration.code, actor=staff, now=early).result == (
        CheckInCode.OUTSIDE_TIME
    )
    # An hour before the start the door is open.
    just_before = event.starts_at - dt.timedelta(minutes=50)
    assert services.check_in(event, registration.code, actor=staff, now=just_before).result == "ok"


def test_only_organisers_check_in(centre, today):
    event, registration = today
    with pytest.raises(PermissionDenied):
        services.check_in(event, registration.code, actor=centre.access(centre.resident))


def test_check_in_page_shows_the_result_in_words_and_colour(centre, today, client_for):
    event, registration = today
    client = client_for(centre.staff)
    url = reverse("events:check_in", args=[event.pk])
    page = client.post(url, {"code": registration.code}).content.decode()
    assert 'data-result="ok"' in page and "events-result-ok" in page and "Checked in" in page
    page = client.post(url, {"code": registration.code}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="already_checked_in"' in page and "events-result-warn" in page
    assert "<html" not in page  # htmx gets the result alone
    page = client.post(url, {"code": "nope"}).content.decode()
    assert "events-result-bad" in page and "Not registered" in page


def test_phone_camera_url_opens_the_check_in_page_with_the_code(centre, today, client_for):
    event, registration = today
    client = client_for(centre.staff)
    response = client.get(reverse("events:scan", args=[registration.code]))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("events:check_in", args=[event.pk]) + f"?code={registration.code}"
    )
    page = client.get(response["Location"]).content.decode()
    assert f'value="{registration.code}"' in page
