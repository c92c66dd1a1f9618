"""Screening in the background: every night for every sub-district, and on request."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Subdistrict, User
from linli.core.scheduler import periodic
from linli.policies.models import ScreeningRun

logger = logging.getLogger(__name__)


@periodic("policies.nightly_screening", dt.timedelta(days=1), at=dt.timedelta(hours=2))
@task()
def nightly_screening() -> dict[str, int]:
    """Screen every sub-district; one failing sub-district does not stop the others."""
    from linli.policies.services import run_screening

    today = clock.today()
    done: dict[str, int] = {}
    failed: list[str] = []
    for subdistrict in Subdistrict.objects.order_by("code"):
        try:
            run = run_screening(
                subdistrict,
                actor=Access.system(subdistrict),
                on=today,
                trigger=ScreeningRun.Trigger.NIGHTLY,
            )
        except Exception:
            logger.exception("policy screening failed for %s", subdistrict.code)
            failed.append(subdistrict.code)
            continue
        done[subdistrict.code] = run.pk
    if failed:
        raise RuntimeError(f"policy screening failed for {', '.join(failed)}")
    return done


@task()
def screen_subdistrict(subdistrict_id: int, on: str | None, user_id: int | None) -> int:
    """One sub-district on request; acts as the person who asked, checked again here since
    their role may have changed while the task waited."""
    from linli.policies.services import run_screening

    subdistrict = Subdistrict.objects.get(pk=subdistrict_id)
    actor = Access.system(subdistrict)
    if user_id is not None:
        actor = Access.for_user(User.objects.get(pk=user_id), subdistrict)
    run = run_screening(
        subdistrict,
        actor=actor,
        on=dt.date.fromisoformat(on) if on else None,
        trigger=ScreeningRun.Trigger.ON_DEMAND,
    )
    return run.pk
