"""The retention purge: a person who moved out or died keeps their record (the history of the
dwelling points to it), but their personal data is blanked once the sub-district's retention
rule (``RetentionRule``, years after the move or death) has run out."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from linli.core import audit
from linli.core.access import Access
from linli.people import rules
from linli.people.models import LifeEvent, Person, RetentionRule

BLANKED = {
    "name": "",
    "resident_id_cipher": "",
    "resident_id_hash": "",
    "mobile_cipher": "",
    "mobile_hash": "",
    "registered_address": "",
    "user": None,
}


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def rule_on(day: dt.date) -> RetentionRule | None:
    return RetentionRule.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def purge_expired(actor: Access, *, today: dt.date) -> int:
    """Blank the personal data of the persons whose retention ran out by ``today``; the report
    is one audit row with the count and the rule used. No rule in force: nothing is purged."""
    actor.require(rules.may_purge(actor))
    rule = rule_on(today)
    if rule is None:
        return 0
    cutoff = years_before(today, rule.years)
    with transaction.atomic():
        expired = list(
            Person.objects.select_for_update()
            .filter(
                status__in=(Person.Status.MOVED_OUT, Person.Status.DECEASED),
                status_since__lt=cutoff,
                purged_on__isnull=True,
            )
            .values_list("pk", flat=True)
        )
        if not expired:
            return 0
        Person.objects.filter(pk__in=expired).update(**BLANKED, purged_on=today)
        LifeEvent.objects.bulk_create(
            [
                LifeEvent(
                    subdistrict_id=rule.subdistrict_id,
                    person_id=pk,
                    kind=LifeEvent.Kind.PURGED,
                    on=today,
                    actor=actor.user,
                )
                for pk in expired
            ],
            batch_size=5000,
        )
        audit.record(
            actor,
            "people.person.purge",
            object_type="people.person",
            after={"purged": len(expired), "rule_years": rule.years, "cutoff": cutoff.isoformat()},
            note=rule.source,
        )
    return len(expired)
