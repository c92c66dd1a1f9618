"""The audit log is tamper-evident: an entry edited, deleted or cut off with raw SQL is named
by ``manage.py audit verify``, and the nightly check tells the administrators."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from linli.core import audit, audit_chain
from linli.core.access import Access
from linli.core.models import AuditEntry, Notification
from linli.core.tasks import verify_audit
from tests.factories import FacilityFactory


@pytest.fixture
def entries(subdistrict, in_scope) -> list[AuditEntry]:
    actor = Access.system(subdistrict)
    facility = FacilityFactory(subdistrict=subdistrict)
    written = [
        audit.record(
            actor,
            "registry.facility.update",
            facility,
            before={"capacity": n, "on": dt.date(2026, 12, n + 1)},
            after={"capacity": decimal.Decimal("12.50"), "tags": ["a", "b"]},
            note=f"change {n}",
        )
        for n in range(5)
    ]
    audit_chain.seal()
    return written


def verify_output() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_log_verifies_and_reads_back_to_the_same_hashes(entries) -> None:
    assert audit_chain.verify() == []
    out, err = verify_output()
    assert "5 entries, intact" in out and not err
    for entry in AuditEntry.objects.filter(pk__in=[e.pk for e in entries]):
        assert audit_chain.content_hash(entry) == entry.content_hash  # as stored, not in memory


def test_an_entry_edited_with_raw_sql_is_named(entries) -> None:
    target = entries[2]
    sql("UPDATE core_auditentry SET note = %s WHERE id = %s", ["nothing happened", target.pk])
    out, err = verify_output()
    assert f"entry {target.pk}" in err and "changed" in err
    assert "link 3" in err


def test_an_entry_deleted_with_its_link_is_noticed(entries) -> None:
    target = entries[1]
    sql("DELETE FROM core_auditlink WHERE entry_id = %s", [target.pk])
    sql("DELETE FROM core_auditentry WHERE id = %s", [target.pk])
    (found,) = audit_chain.verify()
    assert found.sequence == 2 and "missing" in found.problem


def test_entries_cut_off_at_the_end_are_noticed(entries) -> None:
    last = entries[-1]
    sql("DELETE FROM core_auditlink WHERE entry_id = %s", [last.pk])
    sql("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    (found,) = audit_chain.verify()
    assert "ends before its last link" in found.problem


def test_the_nightly_check_tells_the_administrators(entries, subdistrict, make_user) -> None:
    admin = make_user("subdistrict_admin", subdistrict)
    sql("UPDATE core_auditentry SET after = NULL WHERE id = %s", [entries[0].pk])
    assert verify_audit.call() == 1
    (message,) = Notification.objects.filter(user=admin)
    assert str(entries[0].pk) in message.body


def test_new_entries_extend_the_chain(entries, subdistrict) -> None:
    audit.record(Access.system(subdistrict), "registry.facility.create", note="later")
    assert audit_chain.seal() == 1
    assert audit_chain.verify() == []
    assert AuditEntry.objects.filter(link__isnull=True).count() == 0
