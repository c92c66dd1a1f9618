"""The API: registering with a bearer token answers the seat or the waitlist position, errors
have the project's shape and name the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.tokens import issue_token
from linli.frontoffice.events.models import Audience

pytestmark = pytest.mark.django_db


def bearer(user, subdistrict) -> dict[str, str]:
    _token, key = issue_token(user, subdistrict, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
    response = Client().post(url, json.dumps(body), content_type="application/json", **headers)
    return response.status_code, json.loads(response.content)


def test_register_then_waitlist_over_the_api(centre, make_event):
    event = make_event(capacity=1)
    url = reverse("api:register_for_event", kwargs={"event_id": event.pk})
    ent = centre.enterprise.pk
    status, body = post(url, {"enterprise": ent}, bearer(centre.member, centre.subdistrict))
    assert status == 201 and body["state"] == "confirmed" and body["waitlist_position"] is None
    status, body = post(url, {"enterprise": ent}, bearer(centre.colleague, centre.subdistrict))
    assert status == 201 and body["state"] == "waitlisted" and body["waitlist_position"] == 1
    status, body = post(url, {"enterprise": ent}, bearer(centre.member, centre.subdistrict))
    assert status == 400 and body["code"] == "invalid"
    assert "already registered" in body["message"]


def test_missing_enterprise_names_the_field(centre, make_event):
    event = make_event()
    url = reverse("api:register_for_event", kwargs={"event_id": event.pk})
    status, body = post(url, {}, bearer(centre.member, centre.subdistrict))
    assert status == 400
    assert list(body["fields"]) == ["enterprise"]
    status, body = post(url, {"enterprise": "x"}, bearer(centre.member, centre.subdistrict))
    assert status == 422 and "enterprise" in body["fields"]


def test_someone_elses_enterprise_is_forbidden(centre, make_event):
    event = make_event(audience=Audience.PUBLIC)
    url = reverse("api:register_for_event", kwargs={"event_id": event.pk})
    status, body = post(
        url, {"enterprise": centre.enterprise.pk}, bearer(centre.outsider, centre.subdistrict)
    )
    assert status == 403 and body["code"] == "forbidden"
