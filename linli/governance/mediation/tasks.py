"""The daily reminder of mediation follow-up visits now due, per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.governance.mediation.services import remind_follow_ups


@periodic("mediation.follow_up_reminders", dt.timedelta(days=1), at=dt.timedelta(hours=8))
@task()
def remind_mediators() -> int:
    """Idempotent: a case is reminded once (``follow_up_reminded_on``)."""
    today = clock.today()
    sent = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            sent += remind_follow_ups(Access.system(subdistrict), today=today)
    return sent
