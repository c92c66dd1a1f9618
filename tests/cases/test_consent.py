"""Progress messages by e-mail and SMS need the reporter's consent: withdrawn, they stop (the
inbox keeps every message); given again, they resume."""

from __future__ import annotations

import pytest
from django.http import Http404

from linli.cases.data_rights import PROGRESS_MESSAGES
from linli.cases.services import Contact, register_case
from linli.core.models import AuditEntry, Consent, Notification
from linli.core.services import set_consent
from linli.core.sms import MemorySmsBackend


@pytest.fixture
def sms(settings):
    settings.LINLI_SMS_BACKEND = "linli.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    return MemorySmsBackend.outbox


def test_withdrawing_consent_stops_the_messages_and_giving_it_resumes_them(
    office, report, now, sms, mailoutbox, django_capture_on_commit_callbacks
):
    resident = office.access(office.resident)
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
    assert any(office.resident.email in m.to for m in mailoutbox)

    set_consent(resident, purpose=PROGRESS_MESSAGES, given=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register_case(case, actor=office.access(office.leader))
    assert not any(office.resident.email in m.to for m in mailoutbox)
    assert Notification.objects.filter(user=office.resident, title__contains="registered")

    set_consent(resident, purpose=PROGRESS_MESSAGES, given=True)
    with django_capture_on_commit_callbacks(execute=True):
        report()
    assert any(office.resident.email in m.to for m in mailoutbox)
    actions = AuditEntry.objects.filter(action__startswith="core.consent.").order_by("id")
    assert list(actions.values_list("action", flat=True)) == [
        "core.consent.withdraw",
        "core.consent.give",
    ]
    assert Consent.objects.get(user=office.resident).given is True


def test_a_caller_without_an_account_is_still_texted(
    office, report, now, sms, django_capture_on_commit_callbacks
):
    """They left the number for this; staff erase it on request (``erase_person``)."""
    with django_capture_on_commit_callbacks(execute=True):
        report(
            actor=office.access(office.dispatcher),
            channel="hotline_12345",
            contact=Contact(name="Ms Li", phone="13812345678"),
        )
    assert [phone for phone, _text in sms] == ["13812345678"]


def test_a_withdrawal_between_the_change_and_the_commit_is_honoured(
    office, report, now, sms, mailoutbox, django_capture_on_commit_callbacks
):
    """Consent is read when the messages leave, not when they are written."""
    with django_capture_on_commit_callbacks(execute=False) as pending:
        report()
    set_consent(office.access(office.resident), purpose=PROGRESS_MESSAGES, given=False)
    for callback in pending:
        callback()
    assert not any(office.resident.email in m.to for m in mailoutbox)


def test_an_unknown_purpose_is_not_found(office):
    with pytest.raises(Http404):
        set_consent(office.access(office.resident), purpose="cases.marketing", given=True)
