"""The Park Assistant's read path: how many enterprises read a notice is the same figure on
the list, in the API and in the export; a member never gets the receipts; a request already
handled is offered to nobody; over-long input is refused on every surface, never cut."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.core.access import Access
from linli.enterprise.park import services
from linli.enterprise.park.models import BuildingRequest, Notice
from tests.park.test_notices import publish

pytestmark = pytest.mark.django_db

LONG = "x" * 201


def test_read_counts_are_the_same_on_the_list_the_api_and_the_export(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    publish(park, subdistrict, title="Meter reading", body="Tuesday", enterprise_ids=[park.beta.pk])
    client_for(park.alice).get(reverse("park:notice", kwargs={"pk": notice.pk}))
    manager = client_for(park.manager)
    page = manager.get(reverse("park:notices"), {"q": "water"}).content.decode()
    assert f'data-key="{notice.pk}"' in page and "read by 1 of 2 enterprises" in page
    assert "Meter reading" not in page
    (listed,) = manager.get(reverse("api:park_notices"), {"q": "water"}).json()
    assert (listed["recipients"], listed["read_by_enterprises"]) == (2, 1)
    book = load_workbook(
        io.BytesIO(manager.get(reverse("park:notices_xlsx"), {"q": "water"}).content)
    )
    header, *rows = list(book.active.iter_rows(values_only=True))
    (row,) = [dict(zip(header, r, strict=True)) for r in rows]
    assert row["id"] == notice.pk and row["Enterprises that read it"] == 1
    assert row["Read by (%)"] == 50.0


def test_a_member_reads_a_notice_but_never_its_receipts(client_for, park, subdistrict):
    notice = publish(park, subdistrict)
    body = client_for(park.alice).get(reverse("api:park_notice", kwargs={"pk": notice.pk})).json()
    assert body["read_at"] and "receipts" not in body
    mine = client_for(park.alice).get(reverse("park:notices")).content.decode()
    assert "Water off on Friday" in mine
    assert client_for(park.pearl_member).get(reverse("api:park_notices")).json() == []


def test_a_handled_request_is_offered_to_nobody(client_for, park, subdistrict):
    with scope(subdistrict=subdistrict):
        item = services.file_request(
            park.alpha,
            actor=Access.for_user(park.alice, subdistrict),
            title="Aircon",
            description="Too cold",
        )
        services.decline_request(
            item, actor=Access.for_user(park.manager, subdistrict), reply="Fixed already"
        )
    manager = client_for(park.manager)
    forward = reverse("park:request_forward", kwargs={"pk": item.pk})
    listed = manager.get(reverse("park:requests", kwargs={"pk": park.jade.pk})).content.decode()
    assert f'data-key="{item.pk}"' in listed and forward not in listed
    assert manager.get(forward).status_code == 302
    refused = manager.post(
        reverse("api:park_decline_request", kwargs={"pk": item.pk}),
        {"reply": "Again"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    answered = manager.get(reverse("api:park_requests"), {"status": "declined"}).json()
    assert [r["reply"] for r in answered] == ["Fixed already"]


def test_an_overlong_notice_title_is_refused_on_every_surface(client_for, park, subdistrict):
    manager = client_for(park.manager)
    page = manager.post(
        reverse("park:notice_new", kwargs={"pk": park.jade.pk}),
        {"title": LONG, "body": "Text", "audience": "all"},
    )
    assert page.status_code == 200 and "at most 200 characters" in page.content.decode()
    api = manager.post(
        reverse("api:park_publish_notice", kwargs={"pk": park.jade.pk}),
        {"title": LONG, "body": "Text"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "title" in api.json()["fields"]
    with pytest.raises(ValidationError) as refused:
        publish(park, subdistrict, title=LONG)
    assert "title" in refused.value.message_dict
    with scope(subdistrict=subdistrict):
        assert not Notice.objects.exists()


def test_an_overlong_request_title_is_refused_on_every_surface(client_for, park, subdistrict):
    alice = client_for(park.alice)
    page = alice.post(
        reverse("park:request_new"),
        {"enterprise": park.alpha.pk, "title": LONG, "description": "Details"},
    )
    assert page.status_code == 200 and "at most 200 characters" in page.content.decode()
    api = alice.post(
        reverse("api:park_file_request"),
        {"enterprise_id": park.alpha.pk, "title": LONG, "description": "Details"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "title" in api.json()["fields"]
    with scope(subdistrict=subdistrict), pytest.raises(ValidationError) as refused:
        services.file_request(
            park.alpha,
            actor=Access.for_user(park.alice, subdistrict),
            title=LONG,
            description="Details",
        )
    assert "title" in refused.value.message_dict
    with scope(subdistrict=subdistrict):
        assert not BuildingRequest.objects.exists()
