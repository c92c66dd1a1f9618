"""The enterprise timeline's event entries: who of the enterprise registered and attended.

Whose timeline: the enterprises whose own business the person sees (the registry's
``view_full`` audience); which registrations: those the registrations policy lets them see."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import visibility
from linli.core.access import Access
from linli.frontoffice.events.models import Registration, State
from linli.registry.models import Enterprise
from linli.registry.timeline import TimelineEntry, timeline_provider

LIMIT = 200


@timeline_provider
def event_entries(enterprise: Enterprise, access: Access) -> Iterator[TimelineEntry]:
    if not visibility.allows(access, enterprise, "view_full"):
        return
    registrations = (
        Registration.objects.visible_to(access)
        .filter(enterprise=enterprise)
        .select_related("event", "user")
        .order_by("-registered_at")[:LIMIT]
    )
    for r in registrations:
        url = reverse("events:detail", args=[r.event_id])
        if r.state == State.CHECKED_IN and r.checked_in_at is not None:
            yield TimelineEntry(
                at=r.checked_in_at,
                kind="event",
                title=_("Attended %(event)s") % {"event": r.event.title},
                detail=str(r.user),
                url=url,
            )
        yield TimelineEntry(
            at=r.registered_at,
            kind="event",
            title=_("Registered for %(event)s") % {"event": r.event.title},
            detail=f"{r.user} · {r.get_state_display()}",
            url=url,
        )
