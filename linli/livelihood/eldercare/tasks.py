"""The periodic jobs of elderly care (``linli.livelihood.eldercare.sweeps``), per sub-district."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope
from django_tasks import task

from linli.core.models import Subdistrict
from linli.core.scheduler import periodic
from linli.livelihood.eldercare import sweeps


@periodic("eldercare.missed_visits", dt.timedelta(minutes=15))
@task()
def flag_missed_visits() -> int:
    flagged = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            flagged += sweeps.flag_missed(subdistrict)
    return flagged


@periodic("eldercare.reassessment_reminders", dt.timedelta(days=1), at=dt.timedelta(hours=7))
@task()
def remind_reassessments() -> int:
    reminded = 0
    for subdistrict in Subdistrict.objects.all():
        with scope(subdistrict=subdistrict):
            reminded += sweeps.remind_reassessments(subdistrict)
    return reminded
