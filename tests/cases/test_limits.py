"""Refuse, never cut: text longer than its field holds is a field error on every surface (the
API's 422 names the field, the page's form shows it, a verb raises it, Open311 answers 400), and
nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.cases import services as s
from linli.cases.models import Case, CaseEvent, CategoryField, CoHandler
from linli.core.limits import max_length
from linli.core.tokens import issue_token

BASE = "/api/v1/cases"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def over(model, field: str) -> str:
    return "x" * (max_length(model, field) + 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", lambda: over(Case, "title")),
        ("description", lambda: over(Case, "description")),
        ("address", lambda: over(Case, "address")),
        ("contact_name", lambda: "n" * 51),
    ],
)
def test_the_api_refuses_an_over_long_report(office, client_for, now, field, value):
    body = {"category": "INC-EBIKE", "description": "Charging", "extra": {"floor": 2}}
    response = post(client_for(office.resident), BASE, {**body, field: value()})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {field}
    assert not Case.objects.exists()


def test_the_api_refuses_an_over_long_reason_or_note(office, report, client_for, now):
    case = report()
    dispatcher = client_for(office.dispatcher)
    url = f"{BASE}/{case.number}/transitions"
    response = post(dispatcher, f"{url}/register", {"note": over(CaseEvent, "note")})
    assert response.status_code == 422 and set(response.json()["fields"]) == {"note"}
    post(dispatcher, f"{url}/register", {})
    post(dispatcher, f"{url}/dispatch", {"organisation": "URB"})
    returned = post(
        client_for(office.handler_a), f"{url}/return", {"reason": over(CaseEvent, "reason")}
    )
    assert returned.status_code == 422 and set(returned.json()["fields"]) == {"reason"}
    case.refresh_from_db()
    assert case.state == "dispatched"
    assert not CaseEvent.objects.filter(case=case, action="return").exists()


def test_the_intake_page_refuses_an_over_long_title(office, client_for, now):
    response = client_for(office.resident).post(
        reverse("cases:report"),
        {
            "category": "INC-EBIKE",
            "description": "Charging in the stairwell",
            "title": over(Case, "title"),
            "extra_floor": "3",
        },
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_action_form_refuses_an_over_long_reason(office, report, client_for, now):
    case = report()
    a = office.access
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    response = client_for(office.handler_a).post(
        reverse("cases:act", kwargs={"number": case.number, "action": "return"}),
        {"reason": over(CaseEvent, "reason")},
    )
    assert response.status_code == 200
    [failed] = [x for x in response.context["actions"] if x["name"] == "return"]
    assert "reason" in failed["form"].errors
    assert not CaseEvent.objects.filter(case=case, action="return").exists()


def test_the_verbs_refuse_over_long_text_whoever_calls_them(office, report, now):
    a = office.access
    with pytest.raises(ValidationError) as refused:
        report(title=over(Case, "title"), contact=s.Contact(name="n" * 51))
    assert set(refused.value.message_dict) == {"title", "contact.name"}
    assert not Case.objects.exists()

    case = report()
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    with pytest.raises(ValidationError) as refused:
        s.return_case(case, actor=a(office.handler_a), reason=over(CaseEvent, "reason"))
    assert set(refused.value.message_dict) == {"reason"}
    s.accept_case(case, actor=a(office.handler_a))
    with pytest.raises(ValidationError) as refused:
        s.add_co_handler(
            case, office.dept_b, actor=a(office.handler_a), part=over(CoHandler, "part")
        )
    assert set(refused.value.message_dict) == {"part"}
    assert not CoHandler.objects.exists()
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "submit",
        "register",
        "dispatch",
        "accept",
    ]


def test_a_photo_link_too_long_is_refused_not_cut(office, report, now):
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=office.battery,
        key="picture",
        label="Picture",
        type=CategoryField.Type.PHOTO,
    )
    link = "https://example.org/" + "p" * 500
    with pytest.raises(ValidationError) as refused:
        report(extra={"floor": 3, "picture": link})
    assert set(refused.value.message_dict) == {"extra.picture"}
    kept = report(extra={"floor": 3, "picture": link[:400]})
    assert kept.extra["picture"] == link[:400]


@pytest.mark.parametrize("field", ["description", "address_string"])
def test_open311_refuses_over_long_text(office, client, now, field):
    office.battery.public_display = True
    office.battery.save()
    key = issue_token(office.resident, office.subdistrict, "Citizen app")[1]
    data = {
        "jurisdiction_id": "310106013",
        "service_code": "INC-EBIKE",
        "lat": "31.237",
        "long": "121.459",
        "description": "Charging",
        "attribute[floor]": "2",
        "api_key": key,
        "email": "li@example.org",
    }
    data[field] = over(Case, "description" if field == "description" else "address")
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 400
    assert ("description" if field == "description" else "address") in response.json()[0][
        "description"
    ]
    assert not Case.objects.exists()
