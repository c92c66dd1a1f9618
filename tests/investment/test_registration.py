"""From lead to registered enterprise without retyping: the enterprise carries the prospect's
data and history, and bad data at registration writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.enterprise.investment import services
from linli.enterprise.investment.models import Prospect, Stage, StageChange
from linli.registry.models import Enterprise
from linli.registry.timeline import enterprise_timeline
from tests.factories import EnterpriseFactory, credit_code
from tests.investment.conftest import advance

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 9)
ON_THE_WAY = ["contacted", "negotiating", "site_visit", "signed"]


def test_lead_to_registered_enterprise_carries_data_and_history(
    prospect, as_ambassador, unit, in_scope
):
    services.add_action(
        prospect, actor=as_ambassador, title="Send the lease offer", due_on=dt.date(2026, 3, 2)
    )
    prospect = advance(prospect, as_ambassador, *ON_THE_WAY)
    code = credit_code(424242)

    enterprise = services.register_prospect(
        prospect,
        actor=as_ambassador,
        credit_code=code,
        unit=unit,
        founded_on=dt.date(2026, 3, 9),
    )

    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    assert enterprise.name == prospect.name
    assert enterprise.credit_code == code
    assert enterprise.industry_code == "I6510"
    assert enterprise.registered_capital == 1000
    assert enterprise.headcount == 35
    assert enterprise.legal_rep_name == enterprise.contact_name == "Wang Li"
    assert enterprise.contact_phone == "13812345678"
    assert enterprise.building == unit.building
    assert enterprise.unit == "1201"
    assert enterprise.floor_area_m2 == unit.area_m2
    prospect.refresh_from_db()
    unit.refresh_from_db()
    assert prospect.stage == Stage.REGISTERED
    assert prospect.enterprise == enterprise
    assert not unit.is_free

    timeline = enterprise_timeline(enterprise, as_ambassador, kinds=["investment"])
    titles = [entry.title for entry in timeline]
    for label in ("Lead", "Contacted", "Negotiating", "Site visit", "Signed", "Registered"):
        assert f"Investment: {label}" in titles
    assert "Investment action planned: Send the lease offer" in titles
    assert all(entry.kind == "investment" for entry in timeline)


def test_the_timeline_is_for_staff_only(prospect, as_ambassador, subdistrict, make_user, in_scope):
    prospect = advance(prospect, as_ambassador, *ON_THE_WAY)
    enterprise = services.register_prospect(
        prospect, actor=as_ambassador, credit_code=credit_code(5151), founded_on=TODAY
    )
    member = make_user("enterprise_member", subdistrict, enterprise=enterprise)
    outsider = Access.for_user(member, subdistrict)
    assert enterprise_timeline(enterprise, outsider, kinds=["investment"]) == []


def test_an_invalid_credit_code_is_a_field_error_and_writes_nothing(
    prospect, as_ambassador, unit, in_scope
):
    prospect = advance(prospect, as_ambassador, *ON_THE_WAY)
    enterprises, changes = Enterprise.objects.count(), StageChange.objects.count()
    audits = AuditEntry.objects.count()
    bad = credit_code(1)[:-1] + ("0" if credit_code(1)[-1] != "0" else "1")

    with pytest.raises(ValidationError) as caught:
        services.register_prospect(
            prospect, actor=as_ambassador, credit_code=bad, unit=unit, founded_on=TODAY
        )

    assert "check character" in " ".join(caught.value.message_dict["credit_code"])
    assert Enterprise.objects.count() == enterprises
    assert StageChange.objects.count() == changes
    assert AuditEntry.objects.count() == audits
    unit.refresh_from_db()
    assert unit.is_free
    assert Prospect.objects.get(pk=prospect.pk).stage == Stage.SIGNED


def test_a_duplicate_credit_code_is_refused(prospect, as_ambassador, subdistrict, in_scope):
    taken = EnterpriseFactory(subdistrict=subdistrict)
    prospect = advance(prospect, as_ambassador, *ON_THE_WAY)

    with pytest.raises(ValidationError) as caught:
        services.register_prospect(
            prospect,
            actor=as_ambassador,
            credit_code=taken.credit_code,
            founded_on=TODAY,
        )

    assert "already used" in " ".join(caught.value.message_dict["credit_code"])
    assert Prospect.objects.get(pk=prospect.pk).enterprise is None


def test_missing_founding_date_and_taken_unit(prospect, as_ambassador, unit, in_scope):
    prospect = advance(prospect, as_ambassador, *ON_THE_WAY)
    with pytest.raises(ValidationError) as caught:
        services.register_prospect(
            prospect, actor=as_ambassador, credit_code=credit_code(77), founded_on=None
        )
    assert "founded_on" in caught.value.message_dict

    unit.taken_at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    unit.save()
    with pytest.raises(ValidationError) as caught:
        services.register_prospect(
            prospect,
            actor=as_ambassador,
            credit_code=credit_code(77),
            unit=unit,
            founded_on=TODAY,
        )
    assert caught.value.message_dict["unit"] == ["This unit is already taken."]


def test_only_a_signed_prospect_registers(prospect, as_ambassador, in_scope):
    with pytest.raises(ValidationError) as caught:
        services.register_prospect(
            prospect, actor=as_ambassador, credit_code=credit_code(78), founded_on=TODAY
        )
    assert "this one is at lead" in caught.value.message_dict["stage"][0]
