"""Stage moves: one step at a time, back with a note, lost with a reason, closed is closed;
the history is append-only; who sees and works which prospects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.access import Access
from linli.core.models import Notification
from linli.core.roles import Role
from linli.enterprise.investment import services
from linli.enterprise.investment.models import Prospect, StageChange
from tests.investment.conftest import PROSPECT_DATA, advance

pytestmark = pytest.mark.django_db


def test_a_new_prospect_is_a_lead_owned_by_its_ambassador(prospect, ambassador, in_scope):
    assert prospect.stage == "lead"
    assert prospect.ambassador == ambassador
    assert prospect.contact_phone == "13812345678"
    assert "13812345678" not in prospect.contact_phone_cipher
    assert [c.to_stage for c in prospect.history.all()] == ["lead"]


def test_skipping_a_stage_is_refused_with_the_next_one_named(prospect, as_ambassador, in_scope):
    with pytest.raises(ValidationError) as caught:
        services.move_prospect(prospect, actor=as_ambassador, to_stage="site_visit")
    assert caught.value.message_dict["to_stage"] == [
        "A prospect moves one stage at a time: after lead comes contacted."
    ]


def test_going_back_needs_a_note(prospect, as_ambassador, in_scope):
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating")
    with pytest.raises(ValidationError) as caught:
        services.move_prospect(prospect, actor=as_ambassador, to_stage="contacted")
    assert "why the prospect goes back to contacted" in caught.value.message_dict["note"][0]
    back = services.move_prospect(
        prospect, actor=as_ambassador, to_stage="contacted", note="New decision maker"
    )
    assert back.stage == "contacted"


def test_lost_needs_a_reason_and_closes_the_pipeline(prospect, as_ambassador, in_scope):
    with pytest.raises(ValidationError) as caught:
        services.move_prospect(prospect, actor=as_ambassador, to_stage="lost")
    assert "reason" in caught.value.message_dict
    lost = services.move_prospect(
        prospect, actor=as_ambassador, to_stage="lost", reason="rent", note="Went to Pudong"
    )
    assert lost.lost_reason == "rent"
    with pytest.raises(ValidationError) as caught:
        services.move_prospect(lost, actor=as_ambassador, to_stage="contacted", note="again")
    assert caught.value.message_dict["to_stage"] == [
        "This prospect is lost: its pipeline is closed."
    ]
    last = lost.history.last()
    assert (last.from_stage, last.to_stage, last.reason, last.note) == (
        "lead",
        "lost",
        "rent",
        "Went to Pudong",
    )


def test_registered_is_reached_only_by_registering(prospect, as_ambassador, in_scope):
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    with pytest.raises(ValidationError) as caught:
        services.move_prospect(prospect, actor=as_ambassador, to_stage="registered")
    assert "registering it as an enterprise" in caught.value.message_dict["to_stage"][0]


def test_history_is_append_only(prospect, in_scope):
    change = prospect.history.first()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        StageChange.objects.filter(prospect=prospect).update(note="x")
    with pytest.raises(PermissionError):
        StageChange.objects.filter(prospect=prospect).delete()


def test_another_ambassador_neither_sees_nor_moves_it(prospect, subdistrict, make_user, in_scope):
    other = Access.for_user(make_user(Role.AMBASSADOR, subdistrict), subdistrict)
    assert not Prospect.objects.visible_to(other).exists()
    with pytest.raises(PermissionDenied):
        services.move_prospect(prospect, actor=other, to_stage="contacted")
    leader = Access.for_user(make_user(Role.LEADER, subdistrict), subdistrict)
    assert Prospect.objects.visible_to(leader).count() == 1
    with pytest.raises(PermissionDenied):
        services.move_prospect(prospect, actor=leader, to_stage="contacted")


def test_an_admin_move_tells_the_ambassador(prospect, ambassador, subdistrict, make_user, in_scope):
    admin = Access.for_user(make_user(Role.SUBDISTRICT_ADMIN, subdistrict), subdistrict)
    services.move_prospect(prospect, actor=admin, to_stage="contacted")
    assert Notification.objects.filter(
        user=ambassador, title__contains="moved to contacted"
    ).exists()


def test_an_ambassador_cannot_hand_the_prospect_over(
    prospect, as_ambassador, ambassador, subdistrict, make_user, in_scope
):
    other = make_user(Role.AMBASSADOR, subdistrict)
    changed = services.save_prospect(
        as_ambassador,
        {**PROSPECT_DATA, "ambassador": other.pk, "name": "Renamed"},
        instance=prospect,
    )
    assert changed.ambassador == ambassador
    assert changed.name == "Renamed"


def test_bad_prospect_data_names_the_fields(as_ambassador, in_scope):
    data = {
        **PROSPECT_DATA,
        "credit_code": "91310106ABC",
        "industry_code": "99",
        "floor_min": "20",
        "floor_max": "3",
        "contact_phone": "12345",
    }
    with pytest.raises(services.InvalidForm) as caught:
        services.save_prospect(as_ambassador, data)
    assert set(caught.value.form.errors) == {
        "credit_code",
        "industry_code",
        "floor_max",
        "contact_phone",
    }
    assert not Prospect.objects.exists()


def test_overdue_actions(prospect, as_ambassador, in_scope):
    late = services.add_action(
        prospect, actor=as_ambassador, title="Call back", due_on=dt.date(2020, 1, 1)
    )
    soon = services.add_action(
        prospect, actor=as_ambassador, title="Visit", due_on=dt.date(2099, 1, 1)
    )
    assert late.is_overdue and not soon.is_overdue
    services.complete_action(late, actor=as_ambassador)
    late.refresh_from_db()
    assert not late.is_overdue
    with pytest.raises(ValidationError):
        services.complete_action(late, actor=as_ambassador)
