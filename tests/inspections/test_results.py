"""Results per department, the visit done once all have recorded, visits spared, scheduling,
the Excel schedule, bad input and who sees what."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.cases.models import Case, Channel
from linli.core.access import Access
from linli.core.models import Organisation
from linli.enterprise.inspections import queries, services
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from tests.factories import EnterpriseFactory, OrganisationFactory
from tests.inspections.conftest import day

pytestmark = pytest.mark.django_db

QUARTER = "start=2026-01-01&end=2026-06-30"


def record(client, plan, **values):
    data = {f"p{plan.pk}-{k}": v for k, v in values.items()}
    return client.post(reverse("inspections:record_result", kwargs={"pk": plan.pk}), data)


def test_each_department_records_and_the_visit_is_done_when_all_have(
    town, joint, client_for, subdistrict
):
    a, b, c, _ = joint
    assert record(client_for(town.handlers[0]), a, outcome="passed").status_code == 302
    missing = record(client_for(town.handlers[1]), b, outcome="issues", notes="")
    assert "Describe what was found." in missing.content.decode()
    assert record(client_for(town.handlers[1]), b, outcome="issues", notes="Old extinguishers")
    with scope(subdistrict=subdistrict):
        assert JointVisit.objects.get(pk=a.joint_visit_id).status == JointVisit.Status.SCHEDULED
    record(
        client_for(town.handlers[2]),
        c,
        outcome="follow_up",
        notes="Fire exit blocked by boxes",
        category="FIRE-EXIT",
    )
    with scope(subdistrict=subdistrict):
        visit = JointVisit.objects.get(pk=a.joint_visit_id)
        case = Case.objects.get()
        follow_up = InspectionResult.objects.get(plan=c)
    assert visit.status == JointVisit.Status.DONE and visit.visited_on is not None
    assert follow_up.case == case and case.enterprise == town.firm
    assert "Fire exit blocked" in case.description
    # The department that found it reports the case: it came from the inspection, not the web.
    assert case.channel == Channel.INSPECTION and case.reporter == town.handlers[2]
    page = client_for(town.leader).get(reverse("cases:detail", kwargs={"number": case.number}))
    shown = page.content.decode()
    assert "<dd>Joint inspection</dd>" in shown and "Web form" not in shown


def test_a_department_records_only_its_own_result_once(town, joint, client_for, subdistrict):
    a = joint[0]
    assert record(client_for(town.handlers[1]), a, outcome="passed").status_code == 404
    handler = client_for(town.handlers[0])
    record(handler, a, outcome="passed")
    again = record(handler, a, outcome="passed")
    assert again.status_code == 302
    page = handler.get(again.url).content.decode()
    assert "already recorded" in page
    with scope(subdistrict=subdistrict):
        assert InspectionResult.objects.count() == 1
        # A result recorded: the visit takes no newcomer, and the plan cannot be cancelled.
        with pytest.raises(services.ValidationError, match="cannot be cancelled"):
            services.cancel_plan(a, actor=Access.for_user(town.leader, subdistrict))


def test_a_case_is_only_opened_for_a_follow_up(town, joint, subdistrict):
    with scope(subdistrict=subdistrict):
        from linli.cases.models import Category

        category = Category.objects.get(code="FIRE-EXIT")
        with pytest.raises(services.ValidationError) as caught:
            services.record_result(
                joint[0],
                actor=Access.for_user(town.handlers[0], subdistrict),
                outcome="passed",
                category=category,
            )
        assert "category" in caught.value.message_dict
        assert not Case.objects.exists() and not InspectionResult.objects.exists()


def test_visits_spared_count_what_the_joint_visit_saved(town, joint, client_for, subdistrict):
    for i, plan in enumerate(joint[:3]):
        record(client_for(town.handlers[i]), plan, outcome="passed")
    with scope(subdistrict=subdistrict):
        period = queries.Period(day(1, 1), day(6, 30))
        (row,) = queries.spared_by_enterprise(period)
        totals = {t.department: t for t in queries.totals_by_department(period)}
    # Four plans, one joint visit made for three of them, one visit still ahead.
    assert (row.plans, row.visits_made, row.spared) == (4, 1, 2)
    assert (row.visits_scheduled, row.to_be_spared) == (1, 0)
    assert totals["Fire safety"].visited == 1 and totals["Fire safety"].joint == 1
    assert totals["Labour"].visited == 0 and totals["Labour"].plans == 1
    page = client_for(town.leader).get(reverse("inspections:spared") + "?" + QUARTER)
    assert "2 visits spared" in page.content.decode()
    api = client_for(town.leader).get(reverse("api:insp_spared") + "?" + QUARTER).json()
    assert api["spared"] == 2 and api["enterprises"][0]["enterprise"] == "Alpha Ltd"
    summary = client_for(town.handlers[0]).get(
        reverse("inspections:enterprise", kwargs={"pk": town.firm.pk})
    )
    assert summary.status_code == 200 and "visits spared" in summary.content.decode()


def test_an_unmade_visit_spares_nothing_yet(town, joint, subdistrict):
    with scope(subdistrict=subdistrict):
        (row,) = queries.spared_by_enterprise(queries.Period(day(1, 1), day(6, 30)))
    assert (row.spared, row.to_be_spared) == (0, 2)


def test_the_coordinator_schedules_inside_the_common_window(town, joint, client_for, subdistrict):
    visit_id = joint[0].joint_visit_id
    url = reverse("inspections:visit_schedule", kwargs={"pk": visit_id})
    leader = client_for(town.leader)
    outside = leader.post(url, {"scheduled_on": "2026-04-02"})
    assert "Choose a date between 2026-03-02 and 2026-03-20" in outside.content.decode()
    assert leader.post(url, {"scheduled_on": "2026-03-18"}).status_code == 302
    assert client_for(town.handlers[0]).post(url, {"scheduled_on": "2026-03-17"}).status_code == 403
    with scope(subdistrict=subdistrict):
        assert JointVisit.objects.get(pk=visit_id).scheduled_on == day(3, 18)


def test_the_schedule_exports_to_excel(town, joint, client_for):
    response = client_for(town.leader).get(reverse("inspections:schedule_xlsx") + "?" + QUARTER)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Date"
    assert rows[1][1] == "Alpha Ltd"
    assert rows[1][4] == "Market regulation; Fire safety; Environment"
    assert len(rows) == 3


def test_bad_plans_are_refused_with_the_field_named(town, client_for, subdistrict):
    client = client_for(town.handlers[0])
    payload = {
        "enterprise_id": town.firm.pk,
        "department_id": town.departments[0].pk,
        "subject": "Food safety",
        "window_start": "2026-03-20",
        "window_end": "2026-03-02",
    }
    url = reverse("api:insp_plan")
    backwards = client.post(url, payload, content_type="application/json")
    assert backwards.status_code == 400
    assert backwards.json()["fields"]["window_end"] == ["The window cannot end before it starts."]
    nobody = client.post(
        url, payload | {"enterprise_id": 999999, "subject": " "}, content_type="application/json"
    )
    assert set(nobody.json()["fields"]) >= {"enterprise", "subject", "window_end"}
    foreign = client.post(
        url,
        payload | {"department_id": town.departments[1].pk, "window_end": "2026-03-30"},
        content_type="application/json",
    )
    assert foreign.status_code == 403
    committee = OrganisationFactory(subdistrict=subdistrict, kind=Organisation.Kind.COMMITTEE)
    not_inspecting = client_for(town.leader).post(
        url, payload | {"department_id": committee.pk}, content_type="application/json"
    )
    assert not_inspecting.json()["fields"]["department"] == [
        "This organisation does not inspect enterprises."
    ]
    page = client.post(
        reverse("inspections:plan_new"),
        {"department": town.departments[0].pk, "enterprise_code": "NOPE", "subject": "x"},
    )
    assert "No enterprise here has the credit code" in page.content.decode()
    with scope(subdistrict=subdistrict):
        assert not InspectionPlan.objects.exists()


def test_a_plan_made_on_the_page_lands_in_its_visit(town, client_for, subdistrict):
    response = client_for(town.handlers[0]).post(
        reverse("inspections:plan_new"),
        {
            "department": town.departments[0].pk,
            "enterprise_code": town.firm.credit_code,
            "subject": "Food safety",
            "window_start": "2026-03-02",
            "window_end": "2026-03-20",
        },
    )
    with scope(subdistrict=subdistrict):
        plan = InspectionPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inspections:visit", kwargs={"pk": plan.joint_visit_id})


def test_handlers_see_only_their_departments_plans_and_visits(town, joint, client_for, subdistrict):
    labour = client_for(town.handlers[3])
    joint_visit = joint[0].joint_visit_id
    assert labour.get(reverse("inspections:visit", kwargs={"pk": joint_visit})).status_code == 404
    listed = labour.get(reverse("api:insp_plans")).json()
    assert [p["department"] for p in listed] == ["Labour"]
    assert len(client_for(town.leader).get(reverse("api:insp_plans")).json()) == 4


def test_a_visit_made_shows_on_the_enterprise_timeline(town, joint, client_for, subdistrict):
    from linli.registry.timeline import enterprise_timeline

    for i, plan in enumerate(joint[:3]):
        record(client_for(town.handlers[i]), plan, outcome="passed")
    with scope(subdistrict=subdistrict):
        staff = enterprise_timeline(
            town.firm, Access.for_user(town.leader, subdistrict), kinds=["inspection"]
        )
        member_view = enterprise_timeline(town.firm, Access.anonymous(subdistrict))
    assert [e.title for e in staff] == ["Joint inspection by 3 departments"]
    assert "Fire safety" in staff[0].detail
    assert not [e for e in member_view if e.kind == "inspection"]


def test_the_schedule_takes_a_fixed_number_of_queries(
    town, plan_for, client_for, subdistrict, django_assert_max_num_queries
):
    with scope(subdistrict=subdistrict):
        for firm_index in range(6):
            firm = EnterpriseFactory(subdistrict=subdistrict, name=f"Firm {firm_index}")
            for i in range(3):
                plan_for(i, day(3, 2), day(3, 20), firm=firm)
    client = client_for(town.leader)
    url = reverse("inspections:schedule") + "?" + QUARTER
    client.get(url)  # sessions and the work calendar warmed up
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count("Firm ") == 6
