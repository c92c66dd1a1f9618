"""The queue pages as people use them: the kiosk, the ticket link on a phone, the calling
screen, the counter console, the statistics with their Excel export, and the device keys."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.frontoffice.queue import services
from linli.frontoffice.queue.models import Ticket, TicketState


@pytest.fixture
def clerk(hallway, client_for):
    return client_for(hallway.clerk)


def take_number(hallway, service=None, priority: str = "") -> tuple[Client, str]:
    kiosk = Client()
    response = kiosk.post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": (service or hallway.a).pk, "priority": priority},
    )
    assert response.status_code == 200
    return kiosk, response.context["link"]


def test_the_kiosk_shows_the_hall_services_as_big_buttons(hallway, now):
    response = Client().get(reverse("queue:kiosk", args=[hallway.hall.device_key]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="kiosk-service"') == 3
    assert "Company registration" in body and "Elderly" in body


def test_a_kiosk_ticket_has_a_number_and_a_qr_code_of_its_link(hallway, now):
    kiosk = Client()
    response = kiosk.post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": hallway.a.pk, "priority": "elderly"},
    )
    body = response.content.decode()
    assert "A001" in body and "<svg" in body
    link = response.context["link"]
    assert link.startswith("http://testserver/queue/t/")
    with scope(subdistrict=hallway.subdistrict):
        ticket = Ticket.objects.get()
        assert (ticket.kind, ticket.priority_reason) == ("priority", "elderly")
    phone = Client().get(link)
    assert phone.status_code == 200
    assert "A001" in phone.content.decode()


def test_a_wrong_device_key_or_service_gets_nothing(hallway, subdistrict, now):
    from tests.queue.conftest import build_hall

    elsewhere = build_hall(subdistrict, tag="2")
    assert Client().get(reverse("queue:kiosk", args=["x" * 32])).status_code == 404
    response = Client().post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": elsewhere.a.pk},
    )
    assert response.status_code == 400
    assert "This service is not offered here" in response.content.decode()
    with scope(subdistrict=subdistrict):
        assert not Ticket.objects.exists()


def test_the_ticket_page_follows_the_queue(hallway, now, clerk):
    take_number(hallway)
    _kiosk, link = take_number(hallway)
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "open"]))
    page = Client().get(link).content.decode()
    assert "1 person ahead of you." in page
    assert "Estimated wait: about 6 minutes." in page
    assert 'hx-trigger="every 10s"' in page
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "call"]))
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "no-show"]))
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "call"]))
    status = Client().get(link.replace("/t/", "/t/").rstrip("/") + "/status/").content.decode()
    assert "Please go to window 1." in status


def test_the_holder_cancels_from_the_phone(hallway, now):
    _kiosk, link = take_number(hallway)
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = Client().post(reverse("queue:ticket_cancel", args=[token]))
    assert "Your ticket A001 is cancelled." in response.content.decode()
    response = Client().post(reverse("queue:ticket_cancel", args=[token]))
    assert "it can only be cancelled" in response.content.decode()


def test_the_calling_screen_announces_a_call_and_shows_no_personal_data(hallway, now, clerk):
    take_number(hallway)
    screen = reverse("queue:screen", args=[hallway.hall.device_key])
    board = reverse("queue:screen_board", args=[hallway.hall.device_key])
    assert 'hx-trigger="every 3s"' in Client().get(screen).content.decode()
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "call"]))
    body = Client().get(board).content.decode()
    assert 'aria-live="assertive"' in body
    assert "Number A001, please go to window 1." in body
    first = body.split('data-call="')[1].split('"')[0]
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "recall"]))
    again = Client().get(board).content.decode()
    assert again.split('data-call="')[1].split('"')[0] != first  # a recall is spoken again
    for private in (hallway.clerk.username, hallway.clerk.display_name or "\x00", "@"):
        assert private not in again


def test_the_counter_console_calls_serves_and_explains_a_refusal(hallway, now, clerk):
    take_number(hallway)
    take_number(hallway, hallway.c)  # window 1 does not serve C
    console = clerk.get(reverse("queue:console")).content.decode()
    assert "Window 1" in console and "Window 2" not in console
    act = lambda action: clerk.post(  # noqa: E731
        reverse("queue:counter_act", args=[hallway.window1.pk, action]), follow=True
    )
    page = act("call").content.decode()
    assert "data-current>A001<" in page
    page = act("finish").content.decode()
    assert "A001 is “Called”; it can only be finished when it is “Being served”." in page
    act("start")
    act("finish")
    page = act("call").content.decode()
    assert "Nobody is waiting for this window&#x27;s services." in page
    with scope(subdistrict=hallway.subdistrict):
        assert Ticket.objects.get(service=hallway.a).state == TicketState.DONE


def test_the_console_transfers_a_ticket(hallway, now, clerk):
    take_number(hallway)
    url = lambda action: reverse("queue:counter_act", args=[hallway.window1.pk, action])  # noqa: E731
    clerk.post(url("call"))
    page = clerk.post(url("transfer"), {"service": hallway.c.pk}, follow=True).content.decode()
    assert "A001 is now C001 in line for Social insurance." in page


def test_a_handler_may_not_use_the_console(hallway, client_for):
    assert client_for(hallway.handler).get(reverse("queue:console")).status_code == 403


def test_statistics_page_and_excel_export(hallway, now, client_for):
    now("2026-11-27 09:00")
    take_number(hallway)
    staff = hallway.access(hallway.admin)
    with scope(subdistrict=hallway.subdistrict):
        now(minutes=4)
        ticket = services.call_next(hallway.window1, actor=staff)
        services.start_service(ticket, actor=staff)
        now(minutes=8)
        services.finish_service(ticket, actor=staff)
    admin = client_for(hallway.admin)
    query = "?start=2026-11-27&end=2026-11-27"
    page = admin.get(reverse("queue:stats") + query).content.decode()
    assert "Main hall · A · Company registration" in page
    export = admin.get(reverse("queue:stats_xlsx") + query)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Grouping", "Group", "Tickets")
    service_row = next(r for r in rows if r[0] == "Service")
    assert service_row[2:] == (1, 1, 0, 4.0, 8.0)
    hour_row = next(r for r in rows if r[0] == "Hour")
    assert hour_row[1] == "09:00–10:00"


def test_a_bad_statistics_range_is_explained(hallway, client_for):
    response = client_for(hallway.admin).get(
        reverse("queue:stats") + "?start=2026-11-27&end=2026-11-01"
    )
    assert response.status_code == 400
    assert "The last day must not be before the first." in response.content.decode()


def test_a_new_device_key_locks_out_the_old_urls(hallway, client_for):
    admin = client_for(hallway.admin)
    old = hallway.hall.device_key
    assert old in admin.get(reverse("queue:devices")).content.decode()
    admin.post(reverse("queue:rotate_key", args=[hallway.hall.pk]))
    assert Client().get(reverse("queue:kiosk", args=[old])).status_code == 404
    assert Client().get(reverse("queue:screen", args=[old])).status_code == 404


def test_the_api_issues_calls_and_refuses_clearly(hallway, now, client_for):
    api = client_for(hallway.clerk)
    post = lambda url, body=None: api.post(  # noqa: E731
        url, json.dumps(body or {}), content_type="application/json"
    )
    bad = post(reverse("api:issue_queue_ticket"), {"service_id": hallway.a.pk, "kind": "priority"})
    assert bad.status_code == 400
    assert "priority_reason" in bad.json()["fields"]
    made = post(reverse("api:issue_queue_ticket"), {"service_id": hallway.a.pk})
    assert made.status_code == 201
    assert made.json()["code"] == "A001"
    assert "/queue/t/" in made.json()["link"]
    call = reverse("api:call_next_queue_ticket", kwargs={"counter_id": hallway.window1.pk})
    assert post(call).json()["code"] == "A001"
    busy = post(call)
    assert busy.status_code == 409
    assert busy.json()["code"] == "counter_busy"
    ticket_id = made.json()["id"]
    act = lambda action, body=None: post(  # noqa: E731
        reverse("api:act_on_queue_ticket", kwargs={"ticket_id": ticket_id, "action": action}), body
    )
    refused = act("finish")
    assert refused.status_code == 409
    assert "can only be finished" in refused.json()["message"]
    assert act("transfer").status_code == 400
    moved = act("transfer", {"service_id": hallway.b.pk})
    assert moved.json()["code"] == "B001"
    queued = [dt.datetime.fromisoformat(r.json()["queued_at"]) for r in (moved, made)]
    assert queued[0] == queued[1]


def test_the_calling_screen_reads_a_fixed_number_of_rows(
    hallway, now, clerk, django_assert_max_num_queries
):
    board = reverse("queue:screen_board", args=[hallway.hall.device_key])
    for _ in range(30):
        take_number(hallway)
    clerk.post(reverse("queue:counter_act", args=[hallway.window1.pk, "call"]))
    with django_assert_max_num_queries(8):
        Client().get(board)


def test_a_window_serves_only_services_of_its_hall(hallway, subdistrict):
    from django.core.exceptions import ValidationError

    from linli.frontoffice.queue.models import CounterService
    from tests.queue.conftest import build_hall

    elsewhere = build_hall(subdistrict, tag="2")
    with scope(subdistrict=subdistrict):
        row = CounterService(subdistrict=subdistrict, counter=hallway.window1, service=elsewhere.a)
        with pytest.raises(ValidationError):
            row.full_clean()


def test_the_statistics_api(hallway, now, client_for):
    now("2026-11-27 09:00")
    take_number(hallway)
    response = client_for(hallway.clerk).get(
        reverse("api:queue_statistics") + "?start=2026-11-27&end=2026-11-27"
    )
    assert response.status_code == 200
    assert response.json()["total"]["tickets"] == 1
    assert response.json()["by_service"][0]["label"] == "Main hall · A · Company registration"
    bad = client_for(hallway.clerk).get(
        reverse("api:queue_statistics") + "?start=2026-11-27&end=2026-11-01"
    )
    assert bad.status_code == 400
    assert bad.json()["fields"]["end"] == ["The last day must not be before the first."]
