"""Event jobs: expire waitlist offers past their hold, send reminders a day ahead.

Both run over every sub-district and are idempotent (see the verbs), so the scheduler's
"at most once per slot" is a saving, not what keeps them correct.
"""

from __future__ import annotations

import datetime as dt

from django_scopes import scopes_disabled
from django_tasks import task

from linli.core.scheduler import periodic
from linli.frontoffice.events import reminders, services


@periodic("events.expire_offers", dt.timedelta(minutes=5))
@task()
def expire_offers() -> int:
    with scopes_disabled():
        return services.expire_offers()


@periodic("events.send_reminders", dt.timedelta(minutes=15))
@task()
def send_reminders() -> int:
    with scopes_disabled():
        return reminders.send_reminders()
