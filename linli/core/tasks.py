"""Core background jobs: keep the work calendar seeded and purge expired personal data."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from linli.core import audit_chain, clock, throttle
from linli.core.calendar import seed_year
from linli.core.messaging import notify
from linli.core.models import Notification, Subdistrict, User
from linli.core.roles import ADMINS
from linli.core.scheduler import periodic

NOTIFICATION_RETENTION = dt.timedelta(days=365)
logger = logging.getLogger(__name__)


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


@periodic("core.purge_throttles", dt.timedelta(days=1), at=dt.timedelta(hours=3, minutes=30))
@task()
def purge_throttles() -> int:
    """Rate-limit counters older than a day count nothing any more."""
    return throttle.purge(clock.now() - dt.timedelta(days=1))


@periodic("core.seal_audit", dt.timedelta(minutes=1))
@task()
def seal_audit() -> int:
    """Link the newest audit entries into their sub-district's chain."""
    return audit_chain.seal()


@periodic("core.verify_audit", dt.timedelta(days=1), at=dt.timedelta(hours=4))
@task()
def verify_audit() -> int:
    """Walk every audit chain; on a break, tell the sub-district's administrators and log it."""
    audit_chain.seal()
    breaks = audit_chain.verify()
    for found in breaks:
        logger.error("audit chain broken: %s", found)
        with scopes_disabled():
            subdistrict = Subdistrict.objects.filter(pk=found.chain).first()
            admins = User.objects.filter(
                memberships__subdistrict=subdistrict, memberships__role__in=ADMINS
            ).distinct()
        if subdistrict is not None:
            notify(
                admins,
                subdistrict,
                title=_("The audit log was changed outside linli"),
                body=_(
                    "The check of the audit log found a break at entry %(entry)s: %(problem)s. "
                    "Ask IT to compare with the backups."
                )
                % {"entry": found.entry_id or "-", "problem": found.problem},
            )
    return len(breaks)
