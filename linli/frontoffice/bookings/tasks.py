"""Background sweeps of bookings: no-show release (with strikes), completion, reminders.

Each sweep is idempotent: a booking changes state under a row lock and only from the state the
sweep expects, and a reminder is claimed by a conditional update before it is sent.
"""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core.models import Subdistrict
from linli.core.scheduler import periodic


@periodic("bookings.release_no_shows", dt.timedelta(minutes=5))
@task()
def release_no_shows() -> dict[str, int]:
    from linli.frontoffice.bookings import services

    result: dict[str, int] = {}
    for subdistrict in Subdistrict.objects.order_by("code"):
        with scope(subdistrict=subdistrict):
            released = services.release_no_shows(subdistrict)
            completed = services.complete_finished(subdistrict)
        result[subdistrict.code] = released + completed
    return result


@periodic("bookings.send_reminders", dt.timedelta(minutes=5))
@task()
def send_reminders() -> dict[str, int]:
    from linli.frontoffice.bookings import services

    result: dict[str, int] = {}
    for subdistrict in Subdistrict.objects.order_by("code"):
        with scope(subdistrict=subdistrict):
            result[subdistrict.code] = services.send_reminders(subdistrict)
    return result
