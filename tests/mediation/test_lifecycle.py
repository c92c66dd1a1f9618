"""A mediation case from opening to judicial confirmation; the agreement PDF; the follow-up
reminder, sent once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Notification
from linli.core.services import set_parameter
from linli.governance.mediation import services
from linli.governance.mediation.agreement import agreement_pdf
from linli.governance.mediation.models import MediationCase
from tests.mediation.conftest import APPLICANT_PHONE

pytestmark = pytest.mark.django_db

TERMS = "李建国于2026年3月15日前修复卫生间防水层，并赔偿王秀英人民币3000元。"


def agree(case, town, subdistrict, on=dt.date(2026, 2, 27)):
    mediator = town.access(town.mediator)
    with scope(subdistrict=subdistrict):
        services.record_session(
            case,
            actor=mediator,
            held_on=dt.date(2026, 2, 20),
            place="Plum committee office",
            attendees="王秀英、李建国",
            notes="Both agree the leak comes from the bathroom.",
        )
        services.close_case(case, actor=mediator, outcome="agreed", on=on, terms=TERMS)
    return case


def pdf_text(data: bytes) -> str:
    """The text drawn in an uncompressed PDF: reportlab writes CID-font text as UTF-16BE
    string literals, with ``\\``, ``(`` and ``)`` escaped and other bytes as octal escapes."""
    found = []
    for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data, flags=re.S):
        raw = bytearray()
        i = 0
        while i < len(literal):
            c = literal[i]
            if c == 0x5C:  # backslash
                nxt = literal[i + 1 : i + 4]
                if re.match(rb"[0-7]{3}", nxt):
                    raw.append(int(nxt, 8))
                    i += 4
                    continue
                esc = literal[i + 1]
                raw.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(esc, esc))
                i += 2
                continue
            raw.append(c)
            i += 1
        text = bytes(raw)
        try:
            found.append(text.decode("utf-16-be") if len(text) % 2 == 0 else text.decode())
        except UnicodeDecodeError:
            found.append(text.decode("latin-1"))
    return "\n".join(found)


def test_a_case_goes_from_opening_to_judicial_confirmation(town, subdistrict, open_case, frozen):
    case = agree(open_case(), town, subdistrict)
    mediator = town.access(town.mediator)
    with scope(subdistrict=subdistrict):
        services.sign_agreement(case, actor=mediator, signed_on=dt.date(2026, 2, 28))
        assert case.follow_up_due == dt.date(2026, 3, 30)  # 30 days (the default)
        with pytest.raises(ValidationError):
            services.record_session(
                case, actor=mediator, held_on=dt.date(2026, 3, 1), place="x", attendees="y"
            )
        services.record_follow_up(
            case, actor=mediator, on=dt.date(2026, 3, 2), notes="Repairs done, money paid."
        )
        services.confirm_judicially(
            case, actor=mediator, on=dt.date(2026, 3, 2), court="静安区人民法院"
        )
        case.refresh_from_db()
        actions = set(MediationCase.objects.filter(pk=case.pk).values_list("status", flat=True))
    assert case.number == "TJ2026-0001"
    assert actions == {"agreed"}
    assert case.confirming_court == "静安区人民法院" and case.followed_up_on == dt.date(2026, 3, 2)


@pytest.mark.parametrize("outcome", ["no_agreement", "withdrawn"])
def test_a_case_can_end_without_agreement(town, subdistrict, open_case, outcome):
    case = open_case()
    mediator = town.access(town.mediator)
    with scope(subdistrict=subdistrict):
        services.close_case(
            case, actor=mediator, outcome=outcome, on=dt.date(2026, 3, 1), notes="Parties left"
        )
        with pytest.raises(ValidationError):
            services.sign_agreement(case, actor=mediator, signed_on=dt.date(2026, 3, 2))
    assert case.status == outcome and case.terms == ""


def test_an_agreement_needs_its_terms_and_each_side_a_party(town, subdistrict, open_case):
    case = open_case()
    with scope(subdistrict=subdistrict), pytest.raises(ValidationError) as refused:
        services.close_case(
            case, actor=town.access(town.mediator), outcome="agreed", on=dt.date(2026, 3, 1)
        )
    assert "terms" in refused.value.message_dict
    with scope(subdistrict=subdistrict), pytest.raises(ValidationError) as refused:
        services.open_case(
            town.access(town.staff),
            quarter=town.plum,
            kind="neighbours",
            summary="Noise",
            mediator=town.mediator,
            parties=[services.PartyInput("applicant", "王秀英", "12345")],
        )
    assert {"parties", "party_0_phone"} <= set(refused.value.message_dict)


def test_committee_staff_open_cases_only_in_their_quarters(town, subdistrict, open_case):
    with pytest.raises(ValidationError) as refused:
        open_case(quarter=town.pine)
    assert "quarter" in refused.value.message_dict
    with scope(subdistrict=subdistrict), pytest.raises(PermissionDenied):
        services.open_case(
            town.access(town.mediator),
            quarter=town.plum,
            kind="neighbours",
            summary="Noise",
            mediator=town.mediator,
            parties=[],
        )


def test_the_agreement_pdf_names_the_parties_and_the_terms(town, subdistrict, open_case):
    case = agree(open_case(), town, subdistrict)
    with scope(subdistrict=subdistrict):
        text = pdf_text(agreement_pdf(case, compress=False))
        compressed = agreement_pdf(case)
    assert compressed.startswith(b"%PDF")
    assert "王秀英" in text and "李建国" in text
    # The terms are wrapped over lines: joined, they are whole.
    assert TERMS in text.replace("\n", "")
    assert APPLICANT_PHONE not in text and "139****5678" not in text


def test_the_follow_up_reminder_goes_once_when_due(town, subdistrict, open_case, frozen):
    case = agree(open_case(), town, subdistrict)
    system = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        services.sign_agreement(
            case, actor=town.access(town.mediator), signed_on=dt.date(2026, 2, 28)
        )
        assert services.remind_follow_ups(system, today=dt.date(2026, 3, 29)) == 0
        assert services.remind_follow_ups(system, today=dt.date(2026, 3, 30)) == 1
        assert services.remind_follow_ups(system, today=dt.date(2026, 3, 30)) == 0
        assert services.remind_follow_ups(system, today=dt.date(2026, 4, 2)) == 0
        sent = list(Notification.objects.filter(user=town.mediator).values_list("url", flat=True))
    assert sent == [reverse("mediation:case", kwargs={"pk": case.pk})]


def test_a_future_dated_follow_up_change_leaves_earlier_agreements_alone(
    town, subdistrict, open_case
):
    first = agree(open_case(), town, subdistrict)
    second = agree(open_case(summary="Parking"), town, subdistrict)
    mediator = town.access(town.mediator)
    with scope(subdistrict=subdistrict):
        version = set_parameter(
            Access.system(subdistrict),
            key="mediation.follow_up_days",
            value=14,
            effective_from=dt.date(2026, 3, 1),
            source="Committee rule 2026",
        )
        services.sign_agreement(first, actor=mediator, signed_on=dt.date(2026, 2, 28))
        services.sign_agreement(second, actor=mediator, signed_on=dt.date(2026, 3, 2))
    assert (first.follow_up_due, first.follow_up_version) == (dt.date(2026, 3, 30), None)
    assert (second.follow_up_due, second.follow_up_version) == (dt.date(2026, 3, 16), version.pk)
