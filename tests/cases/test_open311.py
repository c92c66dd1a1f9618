"""Open311 GeoReport v2 conformance: every endpoint in JSON and XML, filters and errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from linli.cases import services as s
from linli.cases.models import Case, CategoryField
from linli.core.tokens import issue_token
from tests.cases.conftest import local

ROOT = "/open311/v2"
JID = "310106013"


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


@pytest.fixture
def public(office):
    office.battery.public_display = True
    office.battery.description = "Batteries charged indoors or on private wires"
    office.battery.save()
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=office.battery,
        key="where",
        label="Where exactly",
        type=CategoryField.Type.CHOICE,
        choices=[{"key": "stairwell", "name": "Stairwell"}, {"key": "flat", "name": "Flat"}],
        order=2,
    )
    return office


@pytest.fixture
def app_key(office):
    """An API key of a citizen app: its account is a resident's, not staff."""
    return issue_token(office.resident, office.subdistrict, "Citizen app")[1]


@pytest.fixture
def staff_key(office):
    return issue_token(office.dispatcher, office.subdistrict, "Hotline bridge")[1]


def test_service_list(public, client):
    body = client.get(f"{ROOT}/services.json", {"jurisdiction_id": JID}).json()
    battery = next(x for x in body if x["service_code"] == "INC-EBIKE")
    assert battery == {
        "service_code": "INC-EBIKE",
        "service_name": "E-bike batteries charged indoors",
        "description": "Batteries charged indoors or on private wires",
        "metadata": True,
        "type": "realtime",
        "keywords": "incident",
        "group": "Incidents",
    }
    assert {x["service_code"] for x in body} == {"APP-LIC", "ENQ", "INC", "INC-EBIKE"}

    root = xml(client.get(f"{ROOT}/services.xml", {"jurisdiction_id": JID}))
    assert root.tag == "services"
    service = next(e for e in root.findall("service") if e.findtext("service_code") == "ENQ")
    assert service.findtext("metadata") == "false"
    assert service.findtext("type") == "realtime"


def test_service_definition(public, client):
    body = client.get(f"{ROOT}/services/INC-EBIKE.json", {"jurisdiction_id": JID}).json()
    assert body["service_code"] == "INC-EBIKE"
    floor, where = body["attributes"]
    assert floor == {
        "variable": True,
        "code": "floor",
        "datatype": "number",
        "required": True,
        "datatype_description": "",
        "order": 0,
        "description": "Floor",
    }
    assert where["datatype"] == "singlevaluelist"
    assert where["values"] == [
        {"key": "stairwell", "name": "Stairwell"},
        {"key": "flat", "name": "Flat"},
    ]

    root = xml(client.get(f"{ROOT}/services/INC-EBIKE.xml", {"jurisdiction_id": JID}))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert [v.findtext("key") for v in values] == ["stairwell", "flat"]
    assert root.find("attributes/attribute/required").text == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_a_404_in_the_spec_shape(public, client, fmt):
    response = client.get(f"{ROOT}/services/NOPE.{fmt}", {"jurisdiction_id": JID})
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [
            {"code": 404, "description": "service_code “NOPE” was not found."}
        ]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404"
        assert "NOPE" in root.findtext("error/description")


def test_jurisdiction(public, client, other_subdistrict):
    assert client.get(f"{ROOT}/services.json").status_code == 400  # two sub-districts now
    missing = client.get(f"{ROOT}/services.json", {"jurisdiction_id": "999999999"})
    assert missing.status_code == 404
    elsewhere = client.get(f"{ROOT}/services.json", {"jurisdiction_id": "310106014"}).json()
    assert elsewhere == []  # the other sub-district has its own categories: none yet


def test_the_jurisdiction_may_be_left_out_when_there_is_only_one(public, client):
    assert client.get(f"{ROOT}/services.json").status_code == 200


def test_an_unknown_format_is_not_served(public, client):
    assert client.get(f"{ROOT}/services.html", {"jurisdiction_id": JID}).status_code == 404


BATTERY_ATTRIBUTES = {"attribute[floor]": "6", "attribute[where]": "stairwell"}


def post_request(client, fmt="json", attributes=BATTERY_ATTRIBUTES, **fields):
    data = {
        "jurisdiction_id": JID,
        "service_code": "INC-EBIKE",
        "lat": "31.237",
        "long": "121.459",
        "description": "Charging in the corridor",
        **attributes,
    }
    data.update(fields)
    return client.post(f"{ROOT}/requests.{fmt}", data)


def test_post_a_request(public, client, app_key, now):
    response = post_request(client, api_key=app_key, email="li@example.org", first_name="Li")
    assert response.status_code == 201
    [created] = response.json()
    number = created["service_request_id"]
    assert number.startswith("2026-")
    assert number in created["service_notice"]

    case = Case.objects.get(number=number)
    assert case.channel == "open311"
    assert case.extra == {"floor": 6, "where": "stairwell"}
    reporter = case.reporters.get()
    assert reporter.user is None and reporter.email == "li@example.org"

    root = xml(post_request(client, "xml", api_key=app_key))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").startswith("2026-")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(public, client, app_key, fmt, now):
    def status(attributes=BATTERY_ATTRIBUTES, **fields):
        return post_request(client, fmt, attributes, **fields).status_code

    assert status() == 403  # no api_key
    assert status(api_key="ll_wrong") == 403
    assert status(api_key=app_key, service_code="NOPE") == 404
    assert status(api_key=app_key, lat="", long="") == 400  # no location at all
    assert status(api_key=app_key, lat="north") == 400
    response = post_request(
        client, fmt, {**BATTERY_ATTRIBUTES, "attribute[floor]": "sixth"}, api_key=app_key
    )
    assert response.status_code == 400
    text = (
        response.json()[0]["description"]
        if fmt == "json"
        else xml(response).findtext("error/description")
    )
    assert "extra.floor" in text and "must be a number" in text
    # Enquiries take no anonymous reports: the app must say who is asking.
    assert status({}, api_key=app_key, service_code="ENQ") == 400
    assert status({}, api_key=app_key, service_code="ENQ", email="q@example.org") == 201


@pytest.fixture
def history(public, report, now):
    """Three public cases at different times and states, and one of a private category."""
    a = public.access
    now("2026-09-29 10:00")
    old = report()
    now("2026-10-08 10:00")
    handled = report()
    s.register_case(handled, actor=a(public.dispatcher))
    s.dispatch_case(handled, public.dept_a, actor=a(public.dispatcher))
    s.accept_case(handled, actor=a(public.handler_a))
    rejected = report()
    s.reject_case(rejected, actor=a(public.dispatcher), reason="out_of_scope")
    private = report(category=public.enquiry, extra={}, description="My tax question")
    now("2026-10-09 10:00")
    return {"old": old, "handled": handled, "rejected": rejected, "private": private}


def test_get_requests_with_filters(history, client):
    def ids(**params):
        response = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": JID, **params})
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    old, handled, rejected = history["old"], history["handled"], history["rejected"]
    assert ids() == [rejected.number, handled.number, old.number]  # newest first, public only
    assert ids(status="open") == [handled.number, old.number]
    assert ids(status="closed") == [rejected.number]
    assert ids(status="open,closed") == [rejected.number, handled.number, old.number]
    assert ids(service_code="ENQ") == []
    assert ids(start_date="2026-10-01T00:00:00+08:00") == [rejected.number, handled.number]
    assert ids(end_date="2026-10-01T00:00:00+08:00") == [old.number]
    assert ids(service_request_id=f"{old.number},{rejected.number}") == [
        rejected.number,
        old.number,
    ]
    bad = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": JID, "status": "pending"})
    assert bad.status_code == 400
    assert (
        client.get(
            f"{ROOT}/requests.json", {"jurisdiction_id": JID, "start_date": "yesterday"}
        ).status_code
        == 400
    )


def test_a_staff_key_sees_every_category(history, client, staff_key):
    response = client.get(f"{ROOT}/requests.json", {"jurisdiction_id": JID, "api_key": staff_key})
    numbers = {r["service_request_id"] for r in response.json()}
    assert history["private"].number in numbers


def test_get_one_request_in_both_formats(history, client):
    handled = history["handled"]
    [body] = client.get(f"{ROOT}/requests/{handled.number}.json", {"jurisdiction_id": JID}).json()
    assert body["status"] == "open"
    assert body["status_notes"] == "Accepted"
    assert body["agency_responsible"] == "Urban management"
    assert body["service_code"] == "INC-EBIKE"
    assert body["requested_datetime"] == "2026-10-08T10:00:00+08:00"
    # 5 working days: 9, 10 (the swapped Saturday), 12, 13, 14 October.
    assert body["expected_datetime"] == local("2026-10-14 10:00").isoformat()
    assert body["lat"] == 31.237 and body["long"] == 121.459

    root = xml(client.get(f"{ROOT}/requests/{handled.number}.xml", {"jurisdiction_id": JID}))
    assert root.tag == "service_requests"
    assert root.findtext("request/agency_responsible") == "Urban management"
    assert root.findtext("request/status") == "open"

    [rejected] = client.get(
        f"{ROOT}/requests/{history['rejected'].number}.json", {"jurisdiction_id": JID}
    ).json()
    assert rejected["status"] == "closed" and rejected["status_notes"] == "Not registered"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_private_and_unknown_requests_are_not_found(history, client, fmt):
    for number in (history["private"].number, "2026-999999"):
        response = client.get(f"{ROOT}/requests/{number}.{fmt}", {"jurisdiction_id": JID})
        assert response.status_code == 404


def test_one_citizen_cannot_flood_the_door(public, client, app_key, settings, now):
    settings.INTAKE_PER_PERSON_HOUR = 2
    for _ in range(2):
        assert post_request(client, api_key=app_key, email="flood@example.org").status_code == 201
    refused = post_request(client, api_key=app_key, email="flood@example.org")
    assert refused.status_code == 429
    assert "12345" in refused.json()[0]["description"]
    # Another citizen of the same app is still heard, and nothing was stored for the refusal.
    assert post_request(client, api_key=app_key, email="other@example.org").status_code == 201
    assert Case.objects.filter(channel="open311").count() == 3
    now("2026-09-29 11:30")  # the next hour
    assert post_request(client, api_key=app_key, email="flood@example.org").status_code == 201


def test_one_address_cannot_flood_the_door(public, client, app_key, settings, now):
    settings.INTAKE_PER_ADDRESS_HOUR = 2
    for n in range(2):
        assert post_request(client, api_key=app_key, email=f"{n}@example.org").status_code == 201
    assert post_request(client, api_key=app_key, email="3@example.org").status_code == 429
