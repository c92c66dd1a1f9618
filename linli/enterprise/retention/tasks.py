"""Nightly relocation-risk snapshot of every enterprise, per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core import clock
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.enterprise.retention.services import snapshot_risks


@periodic("retention.risk_snapshots", dt.timedelta(days=1), at=dt.timedelta(hours=2, minutes=30))
@task()
def take_risk_snapshots() -> int:
    """One snapshot per enterprise and day; running twice on a day rewrites the same rows."""
    today = clock.today()
    written = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            written += snapshot_risks(subdistrict, today=today)
    return written
