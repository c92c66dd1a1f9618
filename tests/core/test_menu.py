"""The menu offers only what the person may open: every role follows every link of its menu
and lands on a page, never on a refusal or a missing page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.models import Organisation
from linli.core.roles import Role
from tests.core.matrix import populated_world
from tests.core.world import ROLES, World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

MENU = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def followed(client: Client) -> dict[str, int]:
    """Each link of the client's menu and the status it answers, once followed."""
    home = client.get(reverse("home"))
    assert home.status_code == 200
    nav = MENU.search(home.content.decode())
    assert nav is not None
    links = LINK.findall(nav.group(0))
    assert links, "an empty menu"
    # A link may forward, e.g. to one's own enterprise.
    return {url: client.get(url, follow=True).status_code for url in links}


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_its_role(db, world: World, role: str) -> None:
    refused = {url: status for url, status in followed(world.client(role)).items() if status != 200}
    assert refused == {}, f"{role} is offered links that answer {refused}"


# Memberships whose role alone does not say what the person may open: the demo's dispatcher is
# a handler of the dispatch centre, not of an inspecting department; a neighbourhood committee's
# handler and the service centre's window staff are others.
SHAPES = {
    "dispatcher": (Role.HANDLER, Organisation.Kind.DISPATCH_CENTRE),
    "committee handler": (Role.HANDLER, Organisation.Kind.COMMITTEE),
    "service centre window": (Role.WINDOW_STAFF, Organisation.Kind.SERVICE_CENTRE),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_menu_link_opens_for_each_membership_shape(db, world: World, shape: str) -> None:
    role, kind = SHAPES[shape]
    subdistrict = world.a.subdistrict
    with scopes_disabled():
        organisation = OrganisationFactory(subdistrict=subdistrict, kind=kind, name=shape)
        person = UserFactory(username=shape.replace(" ", "-"), home_subdistrict=subdistrict)
        MembershipFactory(
            user=person, subdistrict=subdistrict, role=role, organisation=organisation
        )
    client = Client()
    client.force_login(person)
    refused = {url: status for url, status in followed(client).items() if status != 200}
    assert refused == {}, f"a {shape} is offered links that answer {refused}"


def test_joint_inspections_are_offered_to_inspecting_departments_only(db, world: World) -> None:
    inspections = reverse("inspections:plans")
    assert inspections in followed(world.client(Role.HANDLER))  # a department's handler
    assert inspections in followed(world.client(Role.LEADER))
    with scopes_disabled():
        centre = OrganisationFactory(
            subdistrict=world.a.subdistrict, kind=Organisation.Kind.DISPATCH_CENTRE
        )
        dispatcher = UserFactory(username="centre-dispatcher")
        MembershipFactory(
            user=dispatcher, subdistrict=world.a.subdistrict, role=Role.HANDLER, organisation=centre
        )
    client = Client()
    client.force_login(dispatcher)
    assert inspections not in followed(client)
    assert client.get(inspections).status_code == 403
