"""The pipeline's read path: overdue worked out once for the board, the API and the export;
a closed prospect offers no change and its verbs refuse one; the story of a registered
enterprise on the timeline of those who see the enterprise in full; over-long input refused
on every surface, never cut."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.investment import services
from linli.enterprise.investment.models import NextAction, Prospect
from linli.registry.models import Enterprise
from linli.registry.timeline import enterprise_timeline
from tests.factories import credit_code
from tests.investment.conftest import PROSPECT_DATA, advance

pytestmark = pytest.mark.django_db

LONG = "x" * 201


def _sheet(response) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_overdue_is_the_same_on_the_board_the_api_and_the_export(
    client_for, ambassador, prospect, as_ambassador
):
    services.add_action(prospect, actor=as_ambassador, title="Late", due_on=dt.date(2020, 1, 1))
    services.add_action(prospect, actor=as_ambassador, title="Soon", due_on=dt.date(2099, 1, 1))
    client = client_for(ambassador)
    board = client.get(reverse("investment:board")).content.decode()
    assert "1 overdue action" in board
    detail = client.get(reverse("api:get_prospect", kwargs={"pk": prospect.pk})).json()
    assert {a["title"]: a["overdue"] for a in detail["actions"]} == {"Late": True, "Soon": False}
    (row,) = _sheet(client.get(reverse("investment:export")))
    assert row["id"] == prospect.pk
    assert row["Overdue actions"] == 1 and row["Next action due"] == "2020-01-01"


def test_the_export_takes_the_boards_filters(client_for, ambassador, prospect, as_ambassador):
    services.save_prospect(as_ambassador, {**PROSPECT_DATA, "name": "Other Co", "source": "agency"})
    client = client_for(ambassador)
    names = [
        r["Name"] for r in _sheet(client.get(reverse("investment:export"), {"source": "fair"}))
    ]
    assert names == [prospect.name]
    refused = client.get(reverse("investment:board"), {"stage": "nowhere"})
    assert refused.status_code == 200 and "This value is not valid." in refused.content.decode()
    assert prospect.name not in refused.content.decode()
    assert client.get(reverse("api:list_prospects"), {"stage": "nowhere"}).status_code == 422
    assert client.get(reverse("investment:export"), {"stage": "nowhere"}).status_code == 400


def test_a_closed_prospect_offers_no_change_and_refuses_one(
    client_for, ambassador, prospect, as_ambassador, in_scope
):
    lost = services.move_prospect(prospect, actor=as_ambassador, to_stage="lost", reason="rent")
    client = client_for(ambassador)
    page = client.get(reverse("investment:prospect", kwargs={"pk": lost.pk})).content.decode()
    for url_name in ("edit", "move", "add_action", "register"):
        assert reverse(f"investment:{url_name}", kwargs={"pk": lost.pk}) not in page
    edit = client.get(reverse("investment:edit", kwargs={"pk": lost.pk}), follow=True)
    assert "pipeline is closed" in edit.content.decode()
    with pytest.raises(ValidationError, match="pipeline is closed"):
        services.add_action(lost, actor=as_ambassador, title="Call", due_on=dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="pipeline is closed"):
        services.save_prospect(as_ambassador, dict(PROSPECT_DATA), instance=lost)
    assert not NextAction.objects.exists()


def test_the_story_is_on_the_timeline_of_who_sees_the_enterprise_in_full(
    prospect, as_ambassador, subdistrict, make_user, in_scope
):
    prospect = advance(prospect, as_ambassador, "contacted", "negotiating", "site_visit", "signed")
    enterprise = services.register_prospect(
        prospect, actor=as_ambassador, credit_code=credit_code(7171), founded_on=dt.date(2026, 1, 5)
    )
    butler, other_butler = (make_user(Role.BUTLER, subdistrict) for _ in range(2))
    Enterprise.objects.filter(pk=enterprise.pk).update(butler=butler)
    enterprise.refresh_from_db()

    def story(user) -> list[str]:
        access = Access.for_user(user, subdistrict)
        return [e.title for e in enterprise_timeline(enterprise, access, kinds=["investment"])]

    def links(user) -> set[str]:
        access = Access.for_user(user, subdistrict)
        return {e.url for e in enterprise_timeline(enterprise, access, kinds=["investment"])}

    assert "Investment: Registered" in story(butler)
    assert story(other_butler) == []
    assert "Investment: Registered" in story(make_user(Role.HANDLER, subdistrict))
    # The pipeline itself stays the ambassadors', leaders' and administrators': the butler's
    # entries lead nowhere rather than to a refusal; the ambassador's lead to the prospect.
    assert not Prospect.objects.visible_to(Access.for_user(butler, subdistrict)).exists()
    assert links(butler) == {""}
    assert links(make_user(Role.LEADER, subdistrict)) == {
        reverse("investment:prospect", kwargs={"pk": prospect.pk})
    }


def test_an_overlong_action_title_is_refused_on_the_page_and_by_the_verb(
    client_for, ambassador, prospect, as_ambassador, in_scope
):
    url = reverse("investment:add_action", kwargs={"pk": prospect.pk})
    page = client_for(ambassador).post(url, {"title": LONG, "due_on": "2030-01-01"}, follow=True)
    assert "at most 200 characters" in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.add_action(prospect, actor=as_ambassador, title=LONG, due_on=dt.date(2030, 1, 1))
    assert "title" in refused.value.message_dict
    assert not NextAction.objects.exists()


def test_an_overlong_prospect_name_is_a_field_error_in_the_api_and_on_the_page(
    client_for, ambassador, in_scope
):
    client = client_for(ambassador)
    api = client.post(
        reverse("api:create_prospect"),
        {**PROSPECT_DATA, "name": LONG},
        content_type="application/json",
    )
    assert api.status_code == 422 and "name" in api.json()["fields"]
    page = client.post(reverse("investment:create"), {**PROSPECT_DATA, "name": LONG})
    assert page.status_code == 200 and "at most 200 characters" in page.content.decode()
    assert not Prospect.objects.exists()
