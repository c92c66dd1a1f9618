"""The nightly retention purge of residents' personal data, per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.people.retention import purge_expired


@periodic("people.retention_purge", dt.timedelta(days=1), at=dt.timedelta(hours=3, minutes=45))
@task()
def purge_expired_residents() -> int:
    """Idempotent: a purged record is not purged again."""
    today = clock.today()
    purged = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            purged += purge_expired(Access.system(subdistrict), today=today)
    return purged
