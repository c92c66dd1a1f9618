"""The alert sweep: every sub-district's rules against their figures, every 15 minutes."""

from __future__ import annotations

import datetime as dt

from django_scopes import scopes_disabled
from django_tasks import task

from linli.cockpit.services import check_alerts
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic


@periodic("cockpit.check_alerts", dt.timedelta(minutes=15))
@task()
def sweep_alerts() -> int:
    with scopes_disabled():
        subdistricts = list(Subdistrict.objects.all())
    return sum(check_alerts(sd) for sd in subdistricts)
