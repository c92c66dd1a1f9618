"""What the calling screen of a hall shows: each window's number, the latest calls and how many
wait per service. Numbers and windows only: the screen is public."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core import clock
from linli.frontoffice.queue.models import Counter, Hall, Service, Ticket, TicketState

RECENT = 8


def announcement(ticket: Ticket) -> str:
    """The sentence the screen reads aloud, e.g. 请 A012 号到 3 号窗口办理."""
    return _("Number %(code)s, please go to window %(window)s.") % {
        "code": ticket.code,
        "window": ticket.counter.number if ticket.counter else "",
    }


def board(hall: Hall) -> dict:
    day = clock.local_day(clock.now())
    calls = list(
        Ticket.objects.filter(service__hall=hall, day=day, last_called_at__isnull=False)
        .select_related("service", "counter")
        .order_by("-last_called_at", "-id")[:RECENT]
    )
    current = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            service__hall=hall, day=day, state__in=(TicketState.CALLED, TicketState.SERVING)
        )
        .select_related("service")
        .order_by("last_called_at")
    }
    counters = [
        {"counter": c, "ticket": current.get(c.pk)}
        for c in Counter.objects.filter(hall=hall).order_by("number")
        if c.is_open or c.pk in current
    ]
    waiting = [
        (s, Ticket.objects.filter(service=s, day=day, state=TicketState.ISSUED).count())
        for s in Service.objects.filter(hall=hall, active=True).order_by("position", "prefix")
    ]
    latest = next((t for t in calls if t.state == TicketState.CALLED), None)
    return {
        "counters": counters,
        "calls": calls,
        "waiting": waiting,
        "latest": latest,
        # Changes with every call and recall, so the screen speaks each of them exactly once.
        "call_id": f"{latest.pk}-{latest.calls}" if latest else "",
        "sentence": announcement(latest) if latest else "",
    }
