"""Retention: a record of a person who moved out or died is archived after
``people.archive_after_years`` (out of the search, the lists and every change; administrators
still read it), and its personal data purged ``people.purge_after_years`` later. The record
and its history stay; each run reports what it archived and purged."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.core.access import Access
from linli.core.models import AuditEntry, RuleParameter
from linli.core.services import set_parameter
from linli.people import services
from linli.people.models import LifeEvent, Person
from linli.people.parameters import ARCHIVE_AFTER_YEARS, PURGE_AFTER_YEARS
from linli.people.retention import run_retention
from linli.people.tasks import purge_expired_residents

pytestmark = pytest.mark.django_db
carry = importlib.import_module("linli.people.migrations.0004_archive").carry_retention_rules


@pytest.fixture
def moved(hood, people):
    """Resident A0 moved out in March 2026, Resident A1 died in March 2026."""
    services.move_out(people["admin"], hood.persons[0], on=dt.date(2026, 3, 10))
    services.record_death(people["admin"], hood.persons[1], on=dt.date(2026, 3, 20))
    return hood.persons


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_records_are_archived_then_purged_by_the_default_years_and_once_only(hood, moved):
    system = Access.system(hood.subdistrict)
    a0, a1 = moved
    # Two years (the default) after A0 moved out: archived; A1 died five days too late.
    report = run_retention(system, today=dt.date(2028, 3, 15))
    assert (report.archived, report.purged) == ((a0.pk,), ())
    assert (report.archive_after_years, report.purge_after_years) == (2, 3)
    assert fresh(a0).archived_on == dt.date(2028, 3, 15) and fresh(a0).name == "Resident A0"
    assert fresh(a1).archived_on is None
    entry = AuditEntry.objects.get(action="people.person.archive")
    assert entry.after["archived"] == 1 and entry.after["parameter_version"] is None
    # The same night again: nothing more.
    again = run_retention(system, today=dt.date(2028, 3, 15))
    assert (again.archived, again.purged) == ((), ())
    # Three years (the default) after the archive: A0 purged; A1 archived meanwhile.
    later = run_retention(system, today=dt.date(2031, 3, 15))
    assert (later.archived, later.purged) == ((a1.pk,), (a0.pk,))
    a0 = fresh(a0)
    assert (a0.name, a0.resident_id_hash, a0.mobile_cipher, a0.purged_on) == (
        "",
        "",
        "",
        dt.date(2031, 3, 15),
    )
    assert fresh(a1).name == "Resident A1" and fresh(a1).purged_on is None
    kinds = [e.kind for e in LifeEvent.objects.filter(person=a0)]
    assert kinds[-2:] == ["archived", "purged"]
    purge = AuditEntry.objects.get(action="people.person.purge")
    assert purge.after["purged"] == 1 and purge.after["purge_after_years"] == 3
    assert run_retention(system, today=dt.date(2031, 3, 15)).purged == ()


def test_the_years_are_parameters_and_a_future_version_leaves_earlier_runs_alone(
    hood, moved, people
):
    system = Access.system(hood.subdistrict)
    a0, a1 = moved
    version = set_parameter(
        people["admin"],
        key=ARCHIVE_AFTER_YEARS,
        value=1,
        effective_from=dt.date(2027, 6, 1),
        source="Records schedule 2027",
    )
    set_parameter(
        people["admin"],
        key=PURGE_AFTER_YEARS,
        value=0,
        effective_from=dt.date(2027, 6, 1),
        source="Records schedule 2027",
    )
    # Before the new version applies, the default (two years) holds: nothing is due.
    assert run_retention(system, today=dt.date(2027, 5, 31)).archived == ()
    assert fresh(a0).archived_on is None
    # From its date: a year after the move, archived, and (0 more years) purged the same night.
    report = run_retention(system, today=dt.date(2027, 6, 1))
    assert set(report.archived) == {a0.pk, a1.pk} == set(report.purged)
    archive = AuditEntry.objects.get(action="people.person.archive")
    assert archive.after["parameter_version"] == version.pk
    assert archive.note == "Records schedule 2027"


def test_only_the_system_or_administrators_run_it_and_the_job_reports_counts(hood, moved, people):
    with pytest.raises(PermissionDenied):
        run_retention(people["committee"], today=dt.date(2031, 1, 1))
    with mock.patch("linli.core.clock.today", return_value=dt.date(2028, 6, 1)):
        assert purge_expired_residents.call() == {"archived": 2, "purged": 0}
        assert purge_expired_residents.call() == {"archived": 0, "purged": 0}
    assert not Person.objects.filter(status=Person.Status.LIVING, archived_on__isnull=False)


def test_an_archived_record_leaves_search_and_lists_and_is_read_only(
    hood, moved, people, client_for
):
    a0 = moved[0]
    run_retention(Access.system(hood.subdistrict), today=dt.date(2028, 6, 1))
    admin = client_for(people["admin"].user)
    search = reverse("people:search")
    assert "Resident A0" not in admin.post(search, {"name": "Resident"}).content.decode()
    found = admin.post(search, {"name": "Resident", "archived": "true"}).content.decode()
    assert "Resident A0" in found and "Archived" in found
    page = admin.get(reverse("people:person", kwargs={"pk": a0.pk})).content.decode()
    assert "Archived on" in page and reverse("people:move_in", kwargs={"pk": a0.pk}) not in page
    dwelling = admin.get(reverse("people:dwelling", kwargs={"pk": a0.dwelling_id}))
    assert "Resident A0" not in dwelling.content.decode()
    # Nobody changes it, not even administrators; committee staff no longer find it at all.
    with pytest.raises(PermissionDenied):
        services.move_in(people["admin"], fresh(a0), hood.dwellings[0], on=dt.date(2026, 6, 1))
    assert admin.get(reverse("people:move_in", kwargs={"pk": a0.pk})).status_code == 403
    committee = client_for(people["committee"].user)
    assert committee.get(reverse("people:person", kwargs={"pk": a0.pk})).status_code == 404
    assert (
        "Resident A0"
        not in committee.post(search, {"archived": "true", "name": "A0"}).content.decode()
    )


def test_a_purged_record_reads_as_purged(hood, moved, people, client_for):
    for night in (dt.date(2028, 6, 1), dt.date(2031, 6, 1)):  # archived, then purged
        run_retention(Access.system(hood.subdistrict), today=night)
    page = client_for(people["admin"].user).get(
        reverse("people:person", kwargs={"pk": moved[0].pk})
    )
    text = page.content.decode()
    assert "Personal data purged" in text and "Resident A0" not in text


def test_the_migration_carries_retention_rules_into_parameter_versions_that_purge_alike(
    hood, moved
):
    """A rule of five years from 2020 becomes: archive after 2, purge 3 later (five in all);
    a rule of one year: archive after 1, purge the same night. A record purged under the old
    rule counts as archived then."""
    Person.objects.filter(pk=moved[0].pk).update(purged_on=dt.date(2025, 1, 1))
    rules = [
        SimpleNamespace(
            subdistrict_id=hood.subdistrict.pk, years=5, valid_from=dt.date(2020, 1, 1), source="A"
        ),
        SimpleNamespace(
            subdistrict_id=hood.subdistrict.pk, years=1, valid_from=dt.date(2029, 1, 1), source=""
        ),
    ]
    old = mock.Mock()
    old.objects.order_by.return_value = rules
    models = {"RetentionRule": old, "RuleParameter": RuleParameter, "Person": Person}
    carry(SimpleNamespace(get_model=lambda app, name: models[name]), None)
    stored = sorted(
        RuleParameter.objects.filter(key__startswith="people.").values_list(
            "effective_from", "key", "value"
        )
    )
    assert stored == [
        (dt.date(2020, 1, 1), ARCHIVE_AFTER_YEARS, 2),
        (dt.date(2020, 1, 1), PURGE_AFTER_YEARS, 3),
        (dt.date(2029, 1, 1), ARCHIVE_AFTER_YEARS, 1),
        (dt.date(2029, 1, 1), PURGE_AFTER_YEARS, 0),
    ]
    assert fresh(moved[0]).archived_on == dt.date(2025, 1, 1)
