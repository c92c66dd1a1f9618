"""The alert sweep: every sub-district's rules against their figures, every 15 minutes; and the
reports due today (the monthly report, the leaders' schedules), each morning."""

from __future__ import annotations

import datetime as dt

from django_scopes import scopes_disabled
from django_tasks import task

from linli.cockpit.reports import send_due_reports
from linli.cockpit.services import check_alerts
from linli.core.models import Subdistrict
from linli.core.scheduler import periodic


@periodic("cockpit.check_alerts", dt.timedelta(minutes=15))
@task()
def sweep_alerts() -> int:
    with scopes_disabled():
        subdistricts = list(Subdistrict.objects.all())
    return sum(check_alerts(sd) for sd in subdistricts)


@periodic("cockpit.send_reports", dt.timedelta(days=1), at=dt.timedelta(hours=7))
@task()
def send_reports() -> int:
    """At 07:00 Shanghai time, before the leaders' day starts. A report missed on its day (the
    worker was down) goes out on the next run: due means "from the first working day on"."""
    with scopes_disabled():
        subdistricts = list(Subdistrict.objects.all())
    return sum(send_due_reports(sd) for sd in subdistricts)
