"""Retention of residents' records: archive, then purge.

A person who moved out or died keeps their record (the history of the dwelling points to it).
``people.archive_after_years`` after the move or death the record is archived: it leaves the
search, the lists and every change, and only administrators still read it. Once it has been
archived ``people.purge_after_years`` more, its personal data is blanked (the purge); the
record and its history stay. The years are rule parameters (``people/parameters.py``); the run
records the versions it applied in its report, one audit row per step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from linli.core import audit, parameters
from linli.core.access import Access
from linli.people import rules
from linli.people.models import LifeEvent, Person
from linli.people.parameters import ARCHIVE_AFTER_YEARS, PURGE_AFTER_YEARS

BLANKED = {
    "name": "",
    "resident_id_cipher": "",
    "resident_id_hash": "",
    "mobile_cipher": "",
    "mobile_hash": "",
    "registered_address": "",
    "user": None,
}
GONE = (Person.Status.MOVED_OUT, Person.Status.DECEASED)


@dataclass(frozen=True)
class RetentionReport:
    """What one run did: the records archived and purged (their ids), and the rules used."""

    archived: tuple[int, ...]
    purged: tuple[int, ...]
    archive_after_years: int
    purge_after_years: int


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def run_retention(actor: Access, *, today: dt.date) -> RetentionReport:
    """Archive the records whose time in daily work ran out by ``today``, then purge the
    archived records whose retention ran out; a record is archived and purged once only, so
    running twice changes nothing the second time."""
    actor.require(rules.may_purge(actor))
    archive_rule = parameters.value(ARCHIVE_AFTER_YEARS, on=today)
    purge_rule = parameters.value(PURGE_AFTER_YEARS, on=today)
    with transaction.atomic():
        archived = _archive(actor, today, archive_rule)
        purged = _purge(actor, today, purge_rule)
    return RetentionReport(
        archived=tuple(archived),
        purged=tuple(purged),
        archive_after_years=int(archive_rule.value),
        purge_after_years=int(purge_rule.value),
    )


def _archive(actor: Access, today: dt.date, rule: parameters.Version) -> list[int]:
    cutoff = years_before(today, int(rule.value))
    due = list(
        Person.objects.select_for_update()
        .filter(status__in=GONE, status_since__lt=cutoff, archived_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if due:
        Person.objects.filter(pk__in=due).update(archived_on=today)
        _events(actor, due, LifeEvent.Kind.ARCHIVED, today)
        audit.record(
            actor,
            "people.person.archive",
            object_type="people.person",
            after={
                "archived": len(due),
                "archive_after_years": int(rule.value),
                "parameter_version": rule.pk,
                "cutoff": cutoff.isoformat(),
            },
            note=rule.source,
        )
    return due


def _purge(actor: Access, today: dt.date, rule: parameters.Version) -> list[int]:
    cutoff = years_before(today, int(rule.value))
    due = list(
        Person.objects.select_for_update()
        .filter(archived_on__lte=cutoff, purged_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if due:
        Person.objects.filter(pk__in=due).update(**BLANKED, purged_on=today)
        _events(actor, due, LifeEvent.Kind.PURGED, today)
        audit.record(
            actor,
            "people.person.purge",
            object_type="people.person",
            after={
                "purged": len(due),
                "purge_after_years": int(rule.value),
                "parameter_version": rule.pk,
                "archived_by": cutoff.isoformat(),
            },
            note=rule.source,
        )
    return due


def _events(actor: Access, pks: list[int], kind: str, today: dt.date) -> None:
    assert actor.subdistrict is not None  # noqa: S101 - the job runs per sub-district
    LifeEvent.objects.bulk_create(
        [
            LifeEvent(
                subdistrict_id=actor.subdistrict.pk,
                person_id=pk,
                kind=kind,
                on=today,
                actor=actor.user,
            )
            for pk in pks
        ],
        batch_size=5000,
    )
