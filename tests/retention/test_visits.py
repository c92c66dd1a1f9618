"""Visits on the phone page: demands become enterprise-appeal cases in one step, all or nothing;
group service pulls several departments into one case; notes stay with staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.cases.models import Case, Channel, CoHandler
from linli.cases.services import accept_case, dispatch_case, register_case
from linli.core.models import AuditEntry
from linli.enterprise.retention.models import ButlerNote, Visit, VisitDemand
from linli.enterprise.retention.services import Demand, log_visit, pull_in_departments
from tests.retention.conftest import days_ago


def visit_form(street, *demands: tuple[object, str]) -> dict[str, str]:
    data = {
        "visited_on": days_ago(1).isoformat(),
        "people_met": "Ms Chen (CEO), Mr Wu (HR)",
        "topics": "Expansion, hiring",
        "notes": "Team grows by 30 next year.",
        "demands-TOTAL_FORMS": "3",
        "demands-INITIAL_FORMS": "0",
    }
    for n, (category, text) in enumerate(demands):
        data[f"demands-{n}-category"] = str(category.pk)
        data[f"demands-{n}-description"] = text
    return data


def test_a_visit_with_two_demands_opens_two_appeal_cases_in_one_step(street):
    client = street.client(street.wang)
    url = reverse("retention:visit", kwargs={"pk": street.jade.pk})
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        visit_form(
            street,
            (street.licence, "Needs a food-service licence for the new canteen."),
            (street.finance, "Looking for a bank loan of 5 million for new servers."),
        ),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse(
        "retention:profile", kwargs={"pk": street.jade.pk}
    )
    visit = Visit.objects.get()
    assert visit.butler == street.wang and visit.enterprise == street.jade
    cases = list(Case.objects.order_by("id"))
    assert len(cases) == 2
    assert {c.category for c in cases} == {street.licence, street.finance}
    assert all(c.category.kind == "enterprise_appeal" for c in cases)
    assert all(c.channel == Channel.BUTLER_VISIT and c.enterprise == street.jade for c in cases)
    assert all(c.building == street.tower for c in cases)
    assert [d.case for d in VisitDemand.objects.order_by("id")] == cases
    message = str(list(response.context["messages"])[0])
    assert cases[0].number in message and cases[1].number in message
    # Both cases are in the profile's timeline, next to the visit.
    timeline = response.content.decode()
    assert cases[0].number in timeline and "Butler visit by Wang" in timeline


def test_a_refused_demand_leaves_neither_visit_nor_case(street):
    with pytest.raises(ValidationError) as caught:
        log_visit(
            street.jade,
            actor=street.access(street.wang),
            visited_on=days_ago(0),
            people_met="Ms Chen",
            topics="Licences",
            demands=[
                Demand(street.licence, "A fine first demand."),
                Demand(street.finance, "   "),  # the case engine refuses an empty description
            ],
        )
    assert "demands.1.description" in caught.value.message_dict
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_the_page_names_the_field_of_a_half_filled_demand(street):
    data = visit_form(street)
    data["demands-0-description"] = "A loan"
    response = street.client(street.wang).post(
        reverse("retention:visit", kwargs={"pk": street.jade.pk}), data
    )
    assert response.status_code == 200
    assert "Choose the appeal category." in response.content.decode()
    assert not Visit.objects.exists()


def test_a_visit_cannot_be_in_the_future_or_by_another_butler(street):
    with pytest.raises(ValidationError) as caught:
        log_visit(
            street.jade,
            actor=street.access(street.wang),
            visited_on=days_ago(-2),
            people_met="x",
            topics="y",
        )
    assert "visited_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        log_visit(
            street.jade,
            actor=street.access(street.zhou),
            visited_on=days_ago(0),
            people_met="x",
            topics="y",
        )


def test_group_service_pulls_several_departments_into_one_case(street):
    visit = log_visit(
        street.jade,
        actor=street.access(street.wang),
        visited_on=days_ago(0),
        people_met="Ms Chen",
        topics="Canteen",
        demands=[Demand(street.licence, "Licence for the new canteen.")],
    )
    case = visit.demands.get().case
    url = reverse("retention:group_service", kwargs={"pk": street.jade.pk})
    form = {
        "case": case.pk,
        "organisations": [street.depts[1].pk, street.depts[2].pk],
        "part": "Hiring cooks; the lease clause on kitchens.",
    }
    # Still waiting to be registered: nobody can co-handle yet, and nothing is added.
    response = street.client(street.wang).post(url, form, follow=True)
    (refused,) = list(response.context["messages"])
    assert refused.level_tag == "error"
    assert not CoHandler.objects.exists()

    dispatcher = street.access(street.dispatcher)
    register_case(case, actor=dispatcher)
    dispatch_case(case, street.depts[0], actor=dispatcher, assignee=street.wang)
    accept_case(case, actor=street.access(street.wang))
    response = street.client(street.wang).post(url, form, follow=True)
    assert "2 departments now co-handle case" in str(list(response.context["messages"])[0])
    assert set(CoHandler.objects.values_list("organisation", flat=True)) == {
        street.depts[1].pk,
        street.depts[2].pk,
    }


def test_group_service_is_all_or_nothing(street):
    visit = log_visit(
        street.jade,
        actor=street.access(street.wang),
        visited_on=days_ago(0),
        people_met="Ms Chen",
        topics="Canteen",
        demands=[Demand(street.licence, "Licence for the new canteen.")],
    )
    case = visit.demands.get().case
    dispatcher = street.access(street.dispatcher)
    register_case(case, actor=dispatcher)
    dispatch_case(case, street.depts[0], actor=dispatcher, assignee=street.wang)
    accept_case(case, actor=street.access(street.wang))
    with pytest.raises(ValidationError):
        # The lead organisation cannot co-handle its own case: the first one is undone too.
        pull_in_departments(
            case, [street.depts[1], street.depts[0]], actor=street.access(street.wang), part="x"
        )
    assert not CoHandler.objects.exists()


def test_notes_are_for_staff_only(street):
    url = reverse("retention:note", kwargs={"pk": street.jade.pk})
    assert street.client(street.wang).post(url, {"text": "CEO prefers WeChat."}).status_code == 302
    note = ButlerNote.objects.get()
    assert note.author == street.wang
    assert AuditEntry.objects.filter(action="retention.butler_note.create").exists()
    profile = reverse("retention:profile", kwargs={"pk": street.jade.pk})
    assert "CEO prefers WeChat." in street.client(street.leader).get(profile).content.decode()
    assert "CEO prefers WeChat." not in street.client(street.member).get(profile).content.decode()
    assert street.client(street.member).post(url, {"text": "hi"}).status_code == 403
