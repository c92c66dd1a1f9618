"""Building requests: an enterprise asks, the manager forwards it as a case in one step (or
answers it), and sees the building's enterprises with their open requests and cases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.cases.models import Case, CategoryField, Channel
from linli.core.models import Notification, Organisation
from linli.enterprise.park import offerings
from linli.enterprise.park.models import BuildingRequest
from linli.registry.models import Building
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def file(client_for, park, **values):
    data = {"enterprise": park.alpha.pk, "title": "Lift 3 stuck", "description": "Since 8:00"}
    return client_for(park.alice).post(reverse("park:request_new"), data | values)


def test_an_enterprise_files_a_request_and_the_manager_is_told(client_for, park, subdistrict):
    response = file(client_for, park)
    assert response.status_code == 302
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
        told = Notification.objects.filter(user=park.manager).values_list("title", flat=True)
        assert list(Notification.objects.filter(user=park.pearl_manager)) == []
    assert item.building == park.jade and item.enterprise == park.alpha
    assert item.status == BuildingRequest.Status.OPEN
    assert any("Lift 3 stuck" in t for t in told)
    home = client_for(park.alice).get(reverse("park:home")).content.decode()
    assert "Lift 3 stuck" in home and "Waiting for the building manager" in home


def test_a_request_needs_a_title_and_details(client_for, park, subdistrict):
    response = file(client_for, park, title="", description=" ")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the request a title." in page and "Describe what you need." in page


def test_a_member_cannot_file_for_another_enterprise(client_for, park, subdistrict):
    response = file(client_for, park, enterprise=park.beta.pk)
    assert response.status_code == 200  # the form refuses the choice
    api = client_for(park.alice).post(
        reverse("api:park_file_request"),
        {"enterprise_id": park.beta.pk, "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert api.status_code == 404
    with scope(subdistrict=subdistrict):
        assert not BuildingRequest.objects.exists()


def test_the_manager_forwards_a_request_as_a_case_in_one_step(client_for, park, subdistrict):
    file(client_for, park)
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
    manager = client_for(park.manager)
    url = reverse("park:request_forward", kwargs={"pk": item.pk})
    assert "Lift out of order" in manager.get(url).content.decode()
    response = manager.post(url, {"category": "BLD-LIFT", "note": "Urgent: 30 floors"})
    assert response.status_code == 302
    with scope(subdistrict=subdistrict):
        item.refresh_from_db()
        case = Case.objects.get()
        told = list(Notification.objects.filter(user=park.alice).values_list("title", flat=True))
    assert item.status == BuildingRequest.Status.FORWARDED and item.case == case
    assert case.channel == Channel.BUILDING_MANAGER
    assert (case.building, case.enterprise) == (park.jade, park.alpha)
    assert "Urgent: 30 floors" in case.description
    assert any(case.number in t for t in told)
    # One step only: forwarding again is refused and writes nothing; the list no longer
    # offers it.
    again = manager.post(url, {"category": "BLD-LIFT"}, follow=True)
    assert "already been handled" in again.content.decode()
    assert url not in again.content.decode()
    with scope(subdistrict=subdistrict):
        assert Case.objects.count() == 1
    page = manager.get(reverse("park:requests", kwargs={"pk": park.jade.pk})).content.decode()
    assert case.number in page


def test_forwarding_needs_a_category(client_for, park, subdistrict):
    file(client_for, park)
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
    response = client_for(park.manager).post(
        reverse("api:park_forward_request", kwargs={"pk": item.pk}),
        {"category": "NOPE"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["category"] == ["There is no such case category."]
    with scope(subdistrict=subdistrict):
        assert not Case.objects.exists()


def test_answering_without_a_case_needs_a_reason(client_for, park, subdistrict):
    file(client_for, park)
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
    manager = client_for(park.manager)
    url = reverse("park:request_decline", kwargs={"pk": item.pk})
    assert "Tell the enterprise why." in manager.post(url, {"reply": ""}).content.decode()
    assert manager.post(url, {"reply": "Fixed this morning"}).status_code == 302
    with scope(subdistrict=subdistrict):
        item.refresh_from_db()
    assert item.status == BuildingRequest.Status.DECLINED
    assert "Fixed this morning" in client_for(park.alice).get(reverse("park:home")).content.decode()


def test_another_buildings_manager_cannot_forward(client_for, park, subdistrict):
    file(client_for, park)
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
    other = client_for(park.pearl_manager)
    url = reverse("park:request_forward", kwargs={"pk": item.pk})
    assert other.post(url, {"category": "BLD-LIFT"}).status_code == 404
    listed = other.get(reverse("api:park_requests")).json()
    assert listed == []


def test_the_manager_sees_the_buildings_enterprises_without_personal_data(
    client_for, park, subdistrict
):
    file(client_for, park)
    page = client_for(park.manager).get(reverse("park:enterprises", kwargs={"pk": park.jade.pk}))
    text = page.content.decode()
    assert "Alpha Ltd" in text and "Beta Ltd" in text and "Pearl Firm Ltd" not in text
    assert "Open requests: 1" in text


def test_the_member_portal_shows_empty_offerings_without_a_sub_centre(client_for, park):
    page = client_for(park.alice).get(reverse("park:home")).content.decode()
    assert "Your building has no service sub-centre." in page
    assert "No service listed yet." in page and "Nothing to book here yet." in page


def test_the_manager_lands_on_their_building(client_for, park):
    response = client_for(park.manager).get(reverse("park:home"))
    assert response.status_code == 302
    assert response.url == reverse("park:building", kwargs={"pk": park.jade.pk})


def test_forwarding_asks_the_categorys_own_questions(client_for, park, subdistrict):
    with scope(subdistrict=subdistrict):
        CategoryField.objects.create(
            subdistrict=subdistrict,
            category=park.category,
            key="lift",
            label="Which lift",
            type=CategoryField.Type.TEXT,
            required=True,
        )
    file(client_for, park)
    with scope(subdistrict=subdistrict):
        item = BuildingRequest.objects.get()
    manager = client_for(park.manager)
    url = reverse("park:request_forward", kwargs={"pk": item.pk})
    missing = manager.post(url, {"category": "BLD-LIFT"}).content.decode()
    assert "Which lift" in missing and 'class="error"' in missing
    with scope(subdistrict=subdistrict):
        assert not Case.objects.exists()
    assert manager.post(url, {"category": "BLD-LIFT", "extra_lift": "Lift 3"}).status_code == 302
    with scope(subdistrict=subdistrict):
        assert Case.objects.get().extra == {"lift": "Lift 3"}


def test_the_member_portal_lists_what_the_sub_centre_offers(
    client_for, park, subdistrict, monkeypatch
):
    subcentre = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.SUBCENTRE, name="Jade sub-centre"
    )
    with scope(subdistrict=subdistrict):
        Building.objects.filter(pk=park.jade.pk).update(subcentre=subcentre)
    asked = []

    def items(organisation):
        asked.append(organisation)
        return [SimpleNamespace(code="REG-01", name="Company registration", summary="")]

    def rooms(organisation):
        asked.append(organisation)
        return [SimpleNamespace(pk=7, name="Meeting room 3", location="3F", capacity=8)]

    monkeypatch.setattr(offerings, "items_at_subcentre", items)
    monkeypatch.setattr(offerings, "bookable_at", rooms)
    page = client_for(park.alice).get(reverse("park:home")).content.decode()
    assert asked == [subcentre, subcentre]
    assert "Company registration" in page and "Meeting room 3" in page and "8 seats" in page


def test_the_managers_lists_take_a_fixed_number_of_queries(
    client_for, park, subdistrict, django_assert_max_num_queries
):
    for n in range(8):
        file(client_for, park, title=f"Request {n}")
    client = client_for(park.manager)
    for name in ("park:requests", "park:enterprises", "park:building"):
        url = reverse(name, kwargs={"pk": park.jade.pk})
        client.get(url)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
