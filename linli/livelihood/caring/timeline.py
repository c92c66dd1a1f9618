"""Caring visits and alerts on a person's page (``linli.people.timeline``), read through this
app's own visibility, so the page shows no more than the caring pages would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.livelihood.caring.models import Alert, CaringVisit
from linli.people.models import Person
from linli.people.timeline import TimelineEntry, person_provider

SHOWN = 50


@person_provider
def caring(person: Person, access: Access) -> Iterable[TimelineEntry]:
    visits = CaringVisit.objects.visible_to(access).filter(person=person).select_related("plan")
    for visit in visits[:SHOWN]:
        yield TimelineEntry(
            at=dt.datetime.combine(visit.on, dt.time(12), local_zone()),
            kind="caring_visit",
            title=_("Caring visit: %(outcome)s") % {"outcome": visit.get_outcome_display()},
            detail=f"{visit.get_kind_display()} · {visit.note}"
            if visit.note
            else visit.get_kind_display(),
            url=reverse("caring:plan", kwargs={"pk": visit.plan_id}) if visit.plan_id else "",
        )
    for alert in Alert.objects.visible_to(access).filter(person=person)[:SHOWN]:
        yield TimelineEntry(
            at=alert.at,
            kind="caring_alert",
            title=_("Alert: %(kind)s") % {"kind": alert.get_kind_display()},
            detail=alert.note,
            url=reverse("cases:detail", kwargs={"number": alert.case.number}),
        )
