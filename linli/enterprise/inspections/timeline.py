"""An enterprise's joint visits on its timeline (registered in ``InspectionsConfig.ready``):
each visit made, with the departments that came together, for those who may read the
enterprise's inspection history (``rules.visits``, action ``history``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext

from linli.core.calendar import local_zone
from linli.enterprise.inspections import queries
from linli.enterprise.inspections.models import JointVisit
from linli.registry.timeline import TimelineEntry, timeline_provider

if TYPE_CHECKING:
    from linli.core.access import Access
    from linli.registry.models import Enterprise

TIMELINE_LIMIT = 30


@timeline_provider
def inspection_entries(enterprise: Enterprise, access: Access) -> Iterable[TimelineEntry]:
    visits = (
        JointVisit.objects.visible_to(access, "history")
        .filter(enterprise=enterprise, status=JointVisit.Status.DONE)
        .prefetch_related("plans__department")
        .order_by("-visited_on")[:TIMELINE_LIMIT]
    )
    entries = []
    for visit in visits:
        day = visit.visited_on or visit.scheduled_on
        departments = [str(p.department) for p in queries.active_plans(visit)]
        entries.append(
            TimelineEntry(
                at=dt.datetime.combine(day, dt.time(9), tzinfo=local_zone()),
                kind="inspection",
                title=ngettext(
                    "Inspection by %(n)s department",
                    "Joint inspection by %(n)s departments",
                    len(departments),
                )
                % {"n": len(departments)},
                detail="; ".join(departments),
                url=reverse("inspections:enterprise", kwargs={"pk": enterprise.pk}),
            )
        )
    return entries
