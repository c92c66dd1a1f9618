"""Core background jobs: keep the work calendar seeded and purge expired personal data."""

from __future__ import annotations

import datetime as dt

from django_scopes import scopes_disabled
from django_tasks import task

from linli.core import clock
from linli.core.calendar import seed_year
from linli.core.models import Notification
from linli.core.scheduler import periodic

NOTIFICATION_RETENTION = dt.timedelta(days=365)


@periodic("core.seed_calendar", dt.timedelta(days=1))
@task()
def seed_calendar() -> int:
    """Make sure this year and next have calendar rows (next year's schedule comes in November)."""
    year = clock.today().year
    return seed_year(year) + seed_year(year + 1)


@periodic("core.purge_notifications", dt.timedelta(days=1), at=dt.timedelta(hours=3))
@task()
def purge_notifications() -> int:
    """Read notifications are kept for a year (see the personal-data register), then deleted."""
    cutoff = clock.now() - NOTIFICATION_RETENTION
    with scopes_disabled():
        deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted
