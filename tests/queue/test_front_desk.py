"""The front desk's morning: window staff open the kiosk and the calling screen from their menu,
pick their window knowing what it serves, and the kiosk explains a ticket no open window calls
yet (and issues none that no window could ever call)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.navigation import menu_for
from linli.core.roles import Role
from linli.frontoffice.queue import rules, services
from linli.frontoffice.queue.models import Service, Ticket
from tests.factories import MembershipFactory, UserFactory


def test_window_staff_open_the_kiosk_and_the_screen_from_their_menu(hallway, client_for, now):
    clerk = client_for(hallway.clerk)
    with scope(subdistrict=hallway.subdistrict):
        menu = {item["name"] for item in menu_for(hallway.access())}
    assert "queue:devices" in menu
    console = clerk.get(reverse("queue:console")).content.decode()
    assert reverse("queue:devices") in console
    page = clerk.get(reverse("queue:devices"))
    assert page.status_code == 200
    html = page.content.decode()
    kiosk = reverse("queue:kiosk", args=[hallway.hall.device_key])
    screen = reverse("queue:screen", args=[hallway.hall.device_key])
    assert kiosk in html and screen in html
    assert Client().get(kiosk).status_code == 200
    assert Client().get(screen).status_code == 200
    # Making a new key (the old addresses stop working) stays with administrators.
    assert "Make a new key" not in html
    assert clerk.post(reverse("queue:rotate_key", args=[hallway.hall.pk])).status_code == 403


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_menu_offers_the_devices_exactly_to_whom_the_page_opens(hallway, role):
    with scopes_disabled():
        user = UserFactory()
        MembershipFactory(user=user, subdistrict=hallway.subdistrict, role=role)
    with scope(subdistrict=hallway.subdistrict):
        access = Access.for_user(user, hallway.subdistrict)
        in_menu = "queue:devices" in {item["name"] for item in menu_for(access)}
        assert in_menu == rules.may_open_devices(access)


def test_the_window_picker_says_what_each_window_serves(hallway, client_for, now):
    html = client_for(hallway.colleague).get(reverse("queue:console")).content.decode()
    tiles = html.split("data-services>")[1:]
    assert "A Company registration" in tiles[0] and "B Tax" in tiles[0]
    assert "Social insurance" not in tiles[0]
    assert "B Tax" in tiles[1] and "C Social insurance" in tiles[1]


def test_a_ticket_no_open_window_calls_yet_says_which_windows_serve_it(hallway, now):
    kiosk = Client()
    front = kiosk.get(reverse("queue:kiosk", args=[hallway.hall.device_key])).content.decode()
    assert front.count("No window open yet: you can take a number and wait.") == 3
    issued = kiosk.post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": hallway.b.pk, "priority": ""},
    ).content.decode()
    assert "No window for this service is open yet." in issued
    assert "Windows 1, 2 serve it." in issued
    assert "please ask at the front desk" in issued  # no day of calls to go by yet


def test_the_kiosk_says_when_the_windows_usually_open(hallway, now):
    clerk = hallway.access()
    with scope(subdistrict=hallway.subdistrict):
        for day in ("2026-11-24", "2026-11-25", "2026-11-26"):
            now(f"{day} 09:05")
            services.open_counter(hallway.window1, actor=clerk)
            services.issue_ticket(hallway.a, actor=clerk)
            ticket = services.call_next(hallway.window1, actor=clerk)
            services.finish_service(services.start_service(ticket, actor=clerk), actor=clerk)
            services.close_counter(hallway.window1, actor=clerk)
    now("2026-11-27 08:40")
    issued = Client().post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": hallway.a.pk, "priority": ""},
    )
    html = issued.content.decode()
    assert "Window 1 serves it." in html
    assert "They usually start calling at about 09:00; keep your ticket." in html


def test_no_ticket_for_a_service_no_window_serves(hallway, now):
    with scopes_disabled():
        lonely = Service.objects.create(
            subdistrict=hallway.subdistrict, hall=hallway.hall, prefix="D", name="Notary"
        )
    kiosk = Client()
    front = kiosk.get(reverse("queue:kiosk", args=[hallway.hall.device_key])).content.decode()
    button = front.split('data-service="D"')[1].split("</button>")[0]
    assert "disabled" in button and "please ask at the front desk" in button
    refused = kiosk.post(
        reverse("queue:kiosk_issue", args=[hallway.hall.device_key]),
        {"service": lonely.pk, "priority": ""},
    )
    assert "No window serves “Notary”: please ask at the front desk." in refused.content.decode()
    with scope(subdistrict=hallway.subdistrict):
        assert not Ticket.objects.exists()
