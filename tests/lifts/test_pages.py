"""The project page shows the consent live and what is short; the public page names nobody."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from linli.governance.lifts import services
from linli.governance.lifts.models import Choice, Project
from tests.lifts.helpers import DAY, crafted_unit

FLATS = [(f"{f}01", f, "60", [f"Owner{f}"]) for f in range(1, 7)]


def test_vote_through_the_page_and_read_the_shortfall(subdistrict, quarter, make_user, client_for):
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict)
    with scope(subdistrict=subdistrict):
        unit, _persons = crafted_unit(subdistrict, quarter, FLATS)
        project = services.open_project(Access.system(subdistrict), unit, opened_on=DAY)
        voters = list(project.voters.all())
    client = client_for(admin)
    on = DAY + dt.timedelta(days=2)
    for voter in voters[:3]:
        response = client.post(
            reverse("lifts:vote", kwargs={"pk": project.pk}),
            {"voter": voter.pk, "choice": Choice.AGREE, "on": on, "channel": "paper"},
        )
        assert response.status_code == 302
    # An objection without its reason is refused, with the message on the form.
    response = client.post(
        reverse("lifts:vote", kwargs={"pk": project.pk}),
        {"voter": voters[3].pk, "choice": Choice.OBJECT, "on": on, "channel": "paper"},
    )
    assert response.status_code == 400
    assert "reason for objecting" in response.content.decode()
    page = client.get(reverse("lifts:project", kwargs={"pk": project.pk})).content.decode()
    # 3 of 6 take part: one owner and 60 m² short of 2/3.
    assert "50.0%" in page
    assert "1 owner" in page and "60.00 m²" in page
    # Advancing now is refused and changes nothing.
    response = client.post(reverse("lifts:advance", kwargs={"pk": project.pk}), {"on": on})
    assert response.status_code == 400
    with scope(subdistrict=subdistrict):
        assert Project.objects.get(pk=project.pk).stage == 1


def test_public_page_without_sign_in_names_nobody(subdistrict, quarter, client):
    with scope(subdistrict=subdistrict):
        system = Access.system(subdistrict)
        unit, _persons = crafted_unit(subdistrict, quarter, FLATS)
        project = services.open_project(system, unit, opened_on=DAY)
        voter = project.voters.first()
        services.record_vote(
            system, voter, choice=Choice.OBJECT, on=DAY, channel="visit", reason="Too noisy"
        )
    with translation.override("zh-hans"):
        url = reverse("lifts:public", kwargs={"token": project.token})
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Owner1" not in page and "Too noisy" not in page
    assert "16.6%" in page  # one of six owners takes part
    assert client.get(reverse("lifts:public", kwargs={"token": "nope"})).status_code == 404


def test_a_vote_appears_on_the_owners_timeline(subdistrict, quarter):
    from linli.people.timeline import person_timeline

    with scope(subdistrict=subdistrict):
        system = Access.system(subdistrict)
        unit, persons = crafted_unit(subdistrict, quarter, FLATS)
        project = services.open_project(system, unit, opened_on=DAY)
        voter = project.voters.get(persons=persons["Owner2"])
        services.record_vote(system, voter, choice=Choice.AGREE, on=DAY, channel="paper")
        entries = [e for e in person_timeline(persons["Owner2"], system) if e.kind == "lift"]
        assert [e.title for e in entries] == ["Lift vote: Agrees"]
        assert not [e for e in person_timeline(persons["Owner3"], system) if e.kind == "lift"]
