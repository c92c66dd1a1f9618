"""The hourly overdue sweep of caring visits, per sub-district (idempotent: see ``overdue``)."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.livelihood.caring.overdue import sweep


@periodic("caring.overdue_sweep", dt.timedelta(hours=1), at=dt.timedelta(minutes=20))
@task()
def sweep_overdue_visits() -> int:
    today = clock.today()
    steps = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            steps += sweep(Access.system(subdistrict), today).total
    return steps
