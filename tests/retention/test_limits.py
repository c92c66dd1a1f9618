"""Refuse, never cut: text longer than its field is a field error on the visit page, in the
API and in the verbs, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.services import log_visit, save_visit_plan
from tests.retention.conftest import days_ago

LONG = "x" * 201  # people met and topics hold 200 characters


def test_the_visit_page_refuses_an_over_long_field(street):
    url = reverse("retention:visit", kwargs={"pk": street.jade.pk})
    data = {
        "visited_on": days_ago(1).isoformat(),
        "people_met": LONG,
        "topics": "Hiring",
        "demands-TOTAL_FORMS": "0",
        "demands-INITIAL_FORMS": "0",
    }
    response = street.client(street.wang).post(url, data)
    assert response.status_code == 200
    assert "people_met" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_the_api_refuses_an_over_long_field_by_name(street):
    url = reverse("api:retention_log_visit", kwargs={"pk": street.jade.pk})
    client = street.client(street.wang)
    response = client.post(
        url,
        {"visited_on": days_ago(1).isoformat(), "people_met": "CEO", "topics": LONG},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "topics" in json.loads(response.content)["fields"]
    demand = {"category": street.licence.code, "description": "A licence", "title": LONG}
    response = client.post(
        url,
        {
            "visited_on": days_ago(1).isoformat(),
            "people_met": "CEO",
            "topics": "Licences",
            "demands": [demand],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "demands.0.title" in json.loads(response.content)["fields"]
    assert not Visit.objects.exists()


def test_the_verbs_refuse_over_long_text(street):
    wang = street.access(street.wang)
    with pytest.raises(ValidationError) as caught:
        log_visit(street.jade, actor=wang, visited_on=days_ago(1), people_met=LONG, topics=LONG)
    assert set(caught.value.message_dict) == {"people_met", "topics"}
    assert "At most 200 characters (this has 201)." in caught.value.message_dict["topics"]
    assert not Visit.objects.exists()

    leader = street.access(street.leader)
    with pytest.raises(ValidationError) as caught:
        save_visit_plan(actor=leader, name="p" * 101, every_months=3)
    assert "name" in caught.value.message_dict
    response = street.client(street.leader).post(
        reverse("retention:plans"), {"name": "p" * 101, "tag": "", "every_months": "3"}
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not VisitPlan.objects.exists()
