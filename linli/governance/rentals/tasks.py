"""The daily sweep of overdue group-rental notices and re-inspections, per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.governance.rentals.services import sweep_overdue


@periodic("rentals.overdue_sweep", dt.timedelta(days=1), at=dt.timedelta(hours=6, minutes=30))
@task()
def open_overdue_cases() -> int:
    """Idempotent: a notice or re-inspection that has its case gets no second one."""
    today = clock.today()
    opened = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            opened += len(sweep_overdue(actor=Access.system(subdistrict), today=today))
    return opened
