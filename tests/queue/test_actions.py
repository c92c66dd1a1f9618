"""The steps a ticket offers (on the counter console and in the API) are exactly those its
verbs accept, and the queue's reads go through its visibility policies."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from linli.frontoffice.queue import services
from linli.frontoffice.queue.models import Counter, Hall, Ticket, TicketState
from tests.factories import MembershipFactory, UserFactory

VERBS = {
    "recall": lambda t, actor, h: services.recall(t, actor=actor),
    "start": lambda t, actor, h: services.start_service(t, actor=actor),
    "finish": lambda t, actor, h: services.finish_service(t, actor=actor),
    "no_show": lambda t, actor, h: services.mark_no_show(t, actor=actor),
    "transfer": lambda t, actor, h: services.transfer_ticket(t, h.c, actor=actor),
    "cancel": lambda t, actor, h: services.cancel_ticket(t, actor=actor),
}


def succeeds(action: str, ticket: Ticket, actor: Access, hallway) -> bool:
    try:
        with transaction.atomic():
            fresh = Ticket.objects.select_related("service", "counter").get(pk=ticket.pk)
            VERBS[action](fresh, actor, hallway)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError, services.QueueRefusal):
        return False
    return True


def ticket_in(hallway, state: str) -> Ticket:
    kiosk = Access.anonymous(hallway.subdistrict)
    ticket, _token = services.issue_ticket(hallway.a, actor=kiosk, device=hallway.hall)
    if state == TicketState.ISSUED:
        return ticket
    ticket = services.call_next(hallway.window1, actor=hallway.access())
    if state == TicketState.SERVING:
        ticket = services.start_service(ticket, actor=hallway.access())
    if state == TicketState.DONE:
        ticket = services.finish_service(
            services.start_service(ticket, actor=hallway.access()), actor=hallway.access()
        )
    return ticket


@pytest.mark.parametrize(
    "state", [TicketState.ISSUED, TicketState.CALLED, TicketState.SERVING, TicketState.DONE]
)
def test_the_steps_offered_are_the_ones_the_verbs_accept(in_hall, now, state):
    hallway = in_hall
    now("2026-11-27 10:00")
    ticket = ticket_in(hallway, state)
    leader = UserFactory()
    MembershipFactory(user=leader, subdistrict=hallway.subdistrict, role=Role.LEADER)
    offered_somewhere: set[str] = set()
    for user in (hallway.clerk, hallway.colleague, hallway.admin, hallway.handler, leader):
        actor = Access.for_user(user, hallway.subdistrict)
        fresh = Ticket.objects.select_related("service", "counter__hall").get(pk=ticket.pk)
        offered = services.allowed_actions(fresh, actor)
        offered_somewhere |= set(offered)
        for action in services.ACTION_STATES:
            assert succeeds(action, ticket, actor, hallway) == (action in offered), (
                user,
                action,
                offered,
            )
    assert bool(offered_somewhere) == (state != TicketState.DONE)


def test_the_console_and_the_api_offer_the_same_steps(hallway, now, client_for):
    now("2026-11-27 10:00")
    with scope(subdistrict=hallway.subdistrict):
        ticket = ticket_in(hallway, TicketState.CALLED)
    clerk = client_for(hallway.clerk)
    panel = clerk.get(reverse("queue:counter", args=[hallway.window1.pk])).content.decode()
    for step in ("start", "recall", "no-show", "transfer"):
        assert reverse("queue:counter_act", args=[hallway.window1.pk, step]) in panel
    assert reverse("queue:counter_act", args=[hallway.window1.pk, "finish"]) not in panel
    api = clerk.get(reverse("api:get_queue_ticket", kwargs={"ticket_id": ticket.pk})).json()
    assert api["actions"] == ["recall", "start", "no-show", "transfer", "cancel"]
    started = clerk.post(
        reverse("api:act_on_queue_ticket", kwargs={"ticket_id": ticket.pk, "action": "start"}),
        "{}",
        content_type="application/json",
    ).json()
    assert started["state"] == "serving" and started["actions"] == ["finish", "transfer"]


def test_reads_go_through_the_policies(hallway, now, client_for):
    now("2026-11-27 10:00")
    with scope(subdistrict=hallway.subdistrict):
        ticket_in(hallway, TicketState.ISSUED)
        resident = Access.for_user(
            MembershipFactory(subdistrict=hallway.subdistrict, role=Role.RESIDENT).user,
            hallway.subdistrict,
        )
        assert list(Hall.objects.visible_to(resident)) == [hallway.hall]
        assert Counter.objects.visible_to(resident).count() == 2
        assert not Ticket.objects.visible_to(resident).exists()
        assert Ticket.objects.visible_to(hallway.access()).count() == 1
        leader = Access.for_user(
            MembershipFactory(subdistrict=hallway.subdistrict, role=Role.LEADER).user,
            hallway.subdistrict,
        )
        assert not Ticket.objects.visible_to(leader).exists()
        assert Ticket.objects.visible_to(leader, "statistics").count() == 1
    halls = client_for(hallway.handler).get(reverse("api:list_queue_halls")).json()
    assert [h["name"] for h in halls] == ["Main hall"]
    assert {tuple(c["service_ids"]) for c in halls[0]["counters"]} == {
        (hallway.a.pk, hallway.b.pk),
        (hallway.b.pk, hallway.c.pk),
    }
    issued = client_for(hallway.clerk).post(
        reverse("api:issue_queue_ticket"),
        json.dumps({"service_id": hallway.b.pk}),
        content_type="application/json",
    )
    assert issued.status_code == 201 and "/t/" in issued.json()["link"]
    assert issued.json()["people_ahead"] == 0
