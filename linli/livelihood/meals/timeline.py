"""A person's meals on their page (``linli.people.timeline``), read through the orders'
visibility, so the page shows no order its reader could not see on the meals pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.livelihood.meals.models import MealOrder
from linli.people.models import Person
from linli.people.timeline import TimelineEntry, person_provider

RECENT = 60  # the last orders; the meals pages have the rest


@person_provider
def meals(person: Person, access: Access) -> Iterator[TimelineEntry]:
    orders = (
        MealOrder.objects.visible_to(access)
        .filter(person=person)
        .select_related("point")
        .order_by("-day", "-pk")[:RECENT]
    )
    for order in orders:
        noon = dt.datetime.combine(order.day, dt.time(12), tzinfo=clock.local_zone())
        yield TimelineEntry(
            at=noon,
            kind="meal",
            title=_("%(meal)s at %(point)s, %(mode)s: %(status)s")
            % {
                "meal": order.get_meal_display(),
                "point": order.point.name,
                "mode": order.get_mode_display(),
                "status": order.get_status_display(),
            },
            url=f"{reverse('meals:day')}?day={order.day.isoformat()}&point={order.point_id}",
        )
