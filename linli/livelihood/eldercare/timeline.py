"""Elderly care on the person's page: assessments, orders and visits, read through this app's
own ``visible_to`` (a caregiver sees nothing here: the person's page is not theirs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.livelihood.eldercare.models import Assessment, CareOrder, CareVisit
from linli.people.models import Person
from linli.people.timeline import TimelineEntry, person_provider

VISITS_SHOWN = 60


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=clock.local_zone())


@person_provider
def eldercare(person: Person, access: Access) -> Iterator[TimelineEntry]:
    url = reverse("eldercare:elder", kwargs={"pk": person.pk})
    for a in Assessment.objects.visible_to(access).filter(person=person):
        yield TimelineEntry(
            _at(a.assessed_on),
            "assessment",
            _("Care-needs assessment: %(grade)s") % {"grade": a.get_grade_display()},
            a.assessor,
            url,
        )
    for o in CareOrder.objects.visible_to(access).filter(person=person):
        yield TimelineEntry(
            _at(o.requested_on),
            "care_order",
            _("Care order: %(kind)s") % {"kind": o.get_kind_display()},
            o.get_status_display(),
            reverse("eldercare:order", kwargs={"pk": o.pk}),
        )
    visits = (
        CareVisit.objects.visible_to(access)
        .filter(order__person=person, status__in=(CareVisit.Status.DONE, CareVisit.Status.MISSED))
        .order_by("-starts_at")[:VISITS_SHOWN]
    )
    for v in visits:
        yield TimelineEntry(
            v.starts_at,
            "care_visit",
            _("Care visit"),
            v.get_status_display(),
            reverse("eldercare:order", kwargs={"pk": v.order_id}),
        )
