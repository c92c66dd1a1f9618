"""The periodic work of elderly care, each idempotent (a second run, or a second worker, adds
nothing): visits not checked in by their slot's end are flagged missed and their provider told;
assessments about to expire are reminded to the elder's committee and the administrators once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, parameters
from linli.core.access import Access
from linli.core.messaging import Message, notify_each
from linli.core.models import Membership, Subdistrict, User
from linli.core.roles import ADMINS
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare.models import Assessment, CareOrder, CareVisit


def _users(**membership: object) -> list[User]:
    return list(
        User.objects.filter(memberships__in=Membership.objects.filter(**membership)).distinct()
    )


def flag_missed(subdistrict: Subdistrict, now: dt.datetime | None = None) -> int:
    """Planned visits of scheduled orders whose slot ended before ``now`` become missed; each
    provider gets one message listing how many."""
    moment = now or clock.now()
    with transaction.atomic():
        due = CareVisit.objects.select_for_update().filter(
            subdistrict=subdistrict,
            status=CareVisit.Status.PLANNED,
            ends_at__lt=moment,
            order__status=CareOrder.Status.SCHEDULED,
        )
        per_provider: dict[int, list[int]] = defaultdict(list)
        for pk, provider in due.values_list("pk", "order__provider_id"):
            per_provider[provider].append(pk)
        ids = [pk for pks in per_provider.values() for pk in pks]
        if not ids:
            return 0
        CareVisit.objects.filter(pk__in=ids).update(status=CareVisit.Status.MISSED)
        notify_each(
            subdistrict,
            [
                Message(
                    _users(organisation_id=provider),
                    _("%(count)s care visits missed") % {"count": len(pks)},
                    _("Not checked in by the end of their slot."),
                    reverse("eldercare:hours"),
                )
                for provider, pks in per_provider.items()
            ],
        )
        audit.record(
            Access.system(subdistrict),
            "eldercare.visit.missed",
            after={"visits": len(ids)},
        )
    return len(ids)


def remind_reassessments(subdistrict: Subdistrict, today: dt.date | None = None) -> int:
    """Assessments in force that expire within the reminder period and are the person's newest:
    one message to the committee staff of the elder's quarter and to the administrators."""
    day = today or clock.today()
    days = parameters.value(keys.REMINDER, on=day).value
    with transaction.atomic():
        due = list(
            Assessment.objects.select_for_update(of=("self",))
            .filter(
                subdistrict=subdistrict,
                reminded_at__isnull=True,
                valid_until__gte=day,
                valid_until__lte=day + dt.timedelta(days=int(days)),
            )
            .select_related("person__dwelling__unit__building__quarter")
        )
        newest = {
            a.person_id
            for a in due
            if not Assessment.objects.filter(
                person_id=a.person_id, assessed_on__gt=a.assessed_on
            ).exists()
        }
        due = [a for a in due if a.person_id in newest]
        if not due:
            return 0
        admins = _users(subdistrict=subdistrict, role__in=sorted(ADMINS))
        messages = []
        for assessment in due:
            person = assessment.person
            quarter = person.dwelling.unit.building.quarter if person.dwelling else None
            staff = (
                _users(organisation_id=quarter.committee_id)
                if quarter and quarter.committee_id
                else []
            )
            messages.append(
                Message(
                    [*staff, *admins],
                    _("Re-assessment due for %(name)s") % {"name": person.name},
                    _("The care-needs assessment expires on %(day)s.")
                    % {"day": assessment.valid_until},
                    reverse("eldercare:elder", kwargs={"pk": person.pk}),
                )
            )
        Assessment.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=clock.now())
        notify_each(subdistrict, messages)
        audit.record(
            Access.system(subdistrict), "eldercare.assessment.remind", after={"count": len(due)}
        )
    return len(due)
