"""The nightly close of the queue: tickets of past days still open are closed (idempotent)."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.frontoffice.queue.models import OPEN_STATES, Ticket
from linli.frontoffice.queue.services import close_past_days


def close_yesterday() -> int:
    today = clock.local_day(clock.now())
    closed = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            if Ticket.objects.filter(day__lt=today, state__in=OPEN_STATES).exists():
                closed += close_past_days(
                    subdistrict, actor=Access.system(subdistrict), today=today
                )
    return closed


# Shortly after local midnight; hourly as well would be harmless, once a day is enough.
@periodic("queue.close_past_days", dt.timedelta(days=1), at=dt.timedelta(minutes=20))
@task()
def close_past_days_task() -> int:
    return close_yesterday()
