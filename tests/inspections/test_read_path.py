"""The joint inspections' read path: an enterprise's inspection history for the staff who see
the enterprise in full (a butler: their portfolio); "merged with other departments" worked out
once for the list, the API and the export; actions offered only when the verb would take them;
over-long input refused on every surface, never cut."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.inspections import services
from linli.enterprise.inspections.models import InspectionPlan
from linli.registry.models import Enterprise
from linli.registry.timeline import enterprise_timeline
from tests.inspections.conftest import day
from tests.inspections.test_results import record

pytestmark = pytest.mark.django_db

LONG = "x" * 201


def test_a_butler_reads_the_inspection_history_of_their_portfolio_only(
    town, joint, client_for, make_user, subdistrict
):
    for i, plan in enumerate(joint[:3]):
        record(client_for(town.handlers[i]), plan, outcome="passed")
    butler = make_user(Role.BUTLER, subdistrict)
    with scope(subdistrict=subdistrict):
        Enterprise.objects.filter(pk=town.firm.pk).update(butler=butler)
    client = client_for(butler)
    mine = client.get(reverse("inspections:enterprise", kwargs={"pk": town.firm.pk}))
    assert mine.status_code == 200 and "Fire safety" in mine.content.decode()
    other = client.get(reverse("inspections:enterprise", kwargs={"pk": town.other_firm.pk}))
    assert other.status_code == 404
    with scope(subdistrict=subdistrict):
        firm = Enterprise.objects.get(pk=town.firm.pk)
        seen = enterprise_timeline(firm, Access.for_user(butler, subdistrict), kinds=["inspection"])
        stranger = make_user(Role.BUTLER, subdistrict)
        unseen = enterprise_timeline(
            firm, Access.for_user(stranger, subdistrict), kinds=["inspection"]
        )
    assert [e.title for e in seen] == ["Joint inspection by 3 departments"] and unseen == []
    # The work lists stay the departments' and the coordinators'.
    assert client.get(reverse("api:insp_plans")).status_code == 403


def test_merged_plans_show_their_partners_on_the_list_the_api_and_the_export(
    town, joint, client_for
):
    leader = client_for(town.leader)
    fire = {"department": town.departments[1].pk}
    page = leader.get(reverse("inspections:plans"), fire).content.decode()
    assert "with 2 other departments" in page
    (listed,) = leader.get(reverse("api:insp_plans"), fire).json()
    assert listed["partners"] == 2
    book = load_workbook(io.BytesIO(leader.get(reverse("inspections:plans_xlsx"), fire).content))
    header, *rows = list(book.active.iter_rows(values_only=True))
    (row,) = [dict(zip(header, r, strict=True)) for r in rows]
    assert row["id"] == joint[1].pk and row["Other departments on the visit"] == 2
    alone = leader.get(reverse("api:insp_plans"), {"department": town.departments[3].pk}).json()
    assert [p["partners"] for p in alone] == [0]


def test_a_plan_with_its_result_is_not_offered_for_cancelling(town, joint, client_for):
    handler = client_for(town.handlers[0])
    cancel = reverse("inspections:plan_cancel", kwargs={"pk": joint[0].pk})
    assert cancel in handler.get(reverse("inspections:plans")).content.decode()
    record(handler, joint[0], outcome="passed")
    assert cancel not in handler.get(reverse("inspections:plans")).content.decode()
    refused = handler.post(reverse("api:insp_cancel_plan", kwargs={"pk": joint[0].pk}))
    assert refused.status_code == 400
    visit = handler.get(reverse("inspections:visit", kwargs={"pk": joint[0].joint_visit_id}))
    assert f'action="{reverse("inspections:record_result", kwargs={"pk": joint[0].pk})}"' not in (
        visit.content.decode()
    )


def test_a_period_that_ends_first_is_refused_on_the_page_and_in_the_api(town, joint, client_for):
    leader = client_for(town.leader)
    backwards = {"start": "2026-03-20", "end": "2026-03-01"}
    page = leader.get(reverse("inspections:schedule"), backwards)
    assert "The period cannot end before it starts." in page.content.decode()
    api = leader.get(reverse("api:insp_visits"), backwards)
    assert api.status_code == 400 and "end" in api.json()["fields"]


def test_an_overlong_subject_is_refused_on_every_surface(town, client_for, subdistrict):
    client = client_for(town.handlers[0])
    api = client.post(
        reverse("api:insp_plan"),
        {
            "enterprise_id": town.firm.pk,
            "department_id": town.departments[0].pk,
            "subject": LONG,
            "window_start": "2026-03-02",
            "window_end": "2026-03-20",
        },
        content_type="application/json",
    )
    assert api.status_code == 422 and "subject" in api.json()["fields"]
    page = client.post(
        reverse("inspections:plan_new"),
        {
            "department": town.departments[0].pk,
            "enterprise_code": town.firm.credit_code,
            "subject": "Fire exits",
            "inspectors": LONG,
            "window_start": "2026-03-02",
            "window_end": "2026-03-20",
        },
    )
    assert page.status_code == 200 and "at most 200 characters" in page.content.decode()
    with scope(subdistrict=subdistrict):
        with pytest.raises(ValidationError) as refused:
            services.plan_inspection(
                actor=Access.for_user(town.handlers[0], subdistrict),
                enterprise=town.firm,
                department=town.departments[0],
                subject=LONG,
                inspectors=LONG,
                window_start=day(3, 2),
                window_end=day(3, 20),
            )
        assert {"subject", "inspectors"} <= set(refused.value.message_dict)
        assert not InspectionPlan.objects.exists()
