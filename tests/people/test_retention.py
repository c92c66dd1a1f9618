"""The retention purge: personal data of persons who moved out or died is blanked once the rule
in force has run out; the record and its history stay."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.people import services
from linli.people.models import LifeEvent, Person, RetentionRule
from linli.people.retention import purge_expired
from linli.people.tasks import purge_expired_residents

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def moved(hood, people):
    """Resident A0 moved out in March 2026, Resident A1 died in March 2026."""
    services.move_out(people["admin"], hood.persons[0], on=dt.date(2026, 3, 10))
    services.record_death(people["admin"], hood.persons[1], on=dt.date(2026, 3, 20))
    return hood.persons


def test_nothing_is_purged_without_a_rule_or_before_it_runs_out(hood, moved):
    system = Access.system(hood.subdistrict)
    assert purge_expired(system, today=dt.date(2031, 6, 1)) == 0  # no rule
    RetentionRule.objects.create(
        subdistrict=hood.subdistrict, years=5, valid_from=dt.date(2020, 1, 1), source="Local rule"
    )
    assert purge_expired(system, today=dt.date(2031, 3, 15)) == 1  # A0 only: A1 died later
    a0, a1 = (Person.objects.get(pk=p.pk) for p in moved)
    assert (a0.name, a0.resident_id_hash, a0.mobile_cipher, a0.purged_on) == (
        "",
        "",
        "",
        dt.date(2031, 3, 15),
    )
    assert a1.name == "Resident A1" and a1.purged_on is None
    assert [e.kind for e in LifeEvent.objects.filter(person=a0)][-1] == "purged"
    entry = AuditEntry.objects.get(action="people.person.purge")
    assert entry.after["purged"] == 1 and entry.after["rule_years"] == 5
    assert entry.note == "Local rule"
    # Run again: nothing more to purge; a shorter rule from a later date applies from then.
    assert purge_expired(system, today=dt.date(2031, 3, 15)) == 0
    RetentionRule.objects.create(
        subdistrict=hood.subdistrict, years=3, valid_from=dt.date(2029, 1, 1)
    )
    assert purge_expired(system, today=dt.date(2029, 3, 21)) == 1


def test_the_nightly_job_purges_every_sub_district_and_only_the_system_or_admins_may(
    hood, moved, people
):
    RetentionRule.objects.create(
        subdistrict=hood.subdistrict, years=1, valid_from=dt.date(2020, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        purge_expired(people["committee"], today=TODAY)
    with mock.patch("linli.core.clock.today", return_value=dt.date(2027, 6, 1)):
        assert purge_expired_residents.call() == 2
    assert not Person.objects.filter(status=Person.Status.LIVING, purged_on__isnull=False).exists()


def test_a_purged_record_reads_as_purged(hood, moved, people, client_for):
    RetentionRule.objects.create(
        subdistrict=hood.subdistrict, years=1, valid_from=dt.date(2020, 1, 1)
    )
    purge_expired(Access.system(hood.subdistrict), today=dt.date(2027, 6, 1))
    page = client_for(people["admin"].user).get(
        reverse("people:person", kwargs={"pk": moved[0].pk})
    )
    text = page.content.decode()
    assert "Personal data purged" in text and "Resident A0" not in text
