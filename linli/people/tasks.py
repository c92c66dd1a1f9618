"""The nightly retention run of residents' records (archive, then purge), per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.people.retention import run_retention


@periodic("people.retention_purge", dt.timedelta(days=1), at=dt.timedelta(hours=3, minutes=45))
@task()
def purge_expired_residents() -> dict[str, int]:
    """Idempotent: a record is archived once and purged once. Returns the counts of the run
    (each sub-district's report is its audit rows)."""
    today = clock.today()
    totals = {"archived": 0, "purged": 0}
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            report = run_retention(Access.system(subdistrict), today=today)
        totals["archived"] += len(report.archived)
        totals["purged"] += len(report.purged)
    return totals
