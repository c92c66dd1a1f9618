"""Who may open a case on the joint-inspection channel, and that nobody picks it by hand."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.cases.models import Case, Channel
from linli.cases.services import submit_case
from linli.core.access import Access
from linli.core.roles import Role


def inspection_case(actor: Access, office) -> Case:
    return submit_case(
        actor=actor,
        category=office.battery,
        channel=Channel.INSPECTION,
        description="Inspection found batteries charged in the stairwell",
        extra={"floor": 2},
    )


@pytest.mark.parametrize("who", ["handler_a", "leader"])
def test_inspecting_staff_open_a_follow_up_in_their_own_name(office, now, who):
    user = getattr(office, who)
    case = inspection_case(office.access(user), office)
    assert case.channel == Channel.INSPECTION and case.reporter == user


def test_an_administrator_may_open_a_follow_up(office, now, make_user):
    admin = make_user(Role.SUBDISTRICT_ADMIN, office.subdistrict)
    assert inspection_case(office.access(admin), office).reporter == admin


@pytest.mark.parametrize("who", ["resident", "grid_worker"])
def test_others_may_not_use_the_inspection_channel(office, now, who):
    with pytest.raises(PermissionDenied):
        inspection_case(office.access(getattr(office, who)), office)
    assert not Case.objects.exists()


def test_staff_intake_does_not_offer_the_inspection_channel(office, client_for, now):
    client = client_for(office.leader)
    page = client.get(reverse("cases:intake")).content.decode()
    assert 'value="hotline_12345"' in page and 'value="inspection"' not in page
    forged = client.post(
        reverse("cases:intake"),
        {
            "category": "INC-EBIKE",
            "description": "Typed in as if from an inspection",
            "extra_floor": "3",
            "channel": "inspection",
            "contact_phone": "13800138000",
        },
    )
    assert forged.status_code == 200
    assert "inspection is not one of the available choices" in forged.content.decode()
    assert not Case.objects.exists()
