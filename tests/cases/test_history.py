"""The case history is append-only: events can be added, never changed or removed."""

from __future__ import annotations

import pytest

from linli.cases.models import CaseEvent
from linli.cases.services import register_case


def test_case_events_cannot_be_updated_or_deleted(office, report, now):
    case = report()
    register_case(case, actor=office.access(office.dispatcher))
    event = CaseEvent.objects.filter(case=case).first()

    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(note="rewritten")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).delete()
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()

    assert [e.action for e in CaseEvent.objects.filter(case=case)] == ["submit", "register"]
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_every_transition_is_audited(office, report, now):
    from linli.core.models import AuditEntry

    case = report()
    register_case(case, actor=office.access(office.dispatcher))
    entry = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).first()
    assert entry.action == "cases.case.register"
    assert entry.actor == office.dispatcher
    assert entry.after["state"] == "registered"
