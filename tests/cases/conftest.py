"""A small sub-district office: a dispatch centre, two departments, a leader, a grid worker and
residents; a category tree; and a clock the tests can set (local Shanghai time)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from linli.cases.models import Category, CategoryField
from linli.cases.services import submit_case
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from tests.factories import GridFactory, MembershipFactory, OrganisationFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> dt.datetime:
    """'2026-09-29 10:00' in Shanghai, as an aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def png_bytes(colour: str = "red", size: tuple[int, int] = (8, 8)) -> io.BytesIO:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    out.seek(0)
    out.name = f"{colour}.png"
    return out


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Argon2 is right for real passwords and far too slow for a dozen test users per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def now(monkeypatch):
    """now('2026-09-29 10:00') moves the case engine's clock there."""
    state = {"at": local("2026-09-29 10:00")}
    monkeypatch.setattr(clock, "now", lambda: state["at"])

    def set_now(text: str) -> dt.datetime:
        state["at"] = local(text)
        return state["at"]

    return set_now


@dataclass
class Office:
    subdistrict: object
    centre: Organisation
    dept_a: Organisation
    dept_b: Organisation
    dispatcher: object
    handler_a: object
    handler_b: object
    leader: object
    grid_worker: object
    resident: object
    neighbour: object
    grid: object
    incident: Category
    battery: Category
    enquiry: Category
    appeal: Category

    def access(self, user) -> Access:
        return Access.for_user(user, self.subdistrict)

    @property
    def system(self) -> Access:
        return Access.system(self.subdistrict)


@pytest.fixture
def office(subdistrict, in_scope) -> Office:
    def member(role: str, **links):
        user = UserFactory()
        with scopes_disabled():
            MembershipFactory(user=user, subdistrict=subdistrict, role=role, **links)
        return user

    centre = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.DISPATCH_CENTRE, code="DC", name="Centre"
    )
    dept_a = OrganisationFactory(subdistrict=subdistrict, code="URB", name="Urban management")
    dept_b = OrganisationFactory(subdistrict=subdistrict, code="HOU", name="Housing office")
    grid = GridFactory(
        subdistrict=subdistrict,
        code="G01",
        name="Grid 1",
        polygon={
            "type": "Polygon",
            "coordinates": [
                [
                    [121.45, 31.23],
                    [121.47, 31.23],
                    [121.47, 31.245],
                    [121.45, 31.245],
                    [121.45, 31.23],
                ]
            ],
        },
    )
    incident = Category.objects.create(
        subdistrict=subdistrict, code="INC", name="Incidents", kind=Category.Kind.INCIDENT
    )
    battery = Category.objects.create(
        subdistrict=subdistrict,
        code="INC-EBIKE",
        name="E-bike batteries charged indoors",
        kind=Category.Kind.INCIDENT,
        parent=incident,
        allows_anonymous=True,
    )
    CategoryField.objects.create(
        subdistrict=subdistrict,
        category=battery,
        key="floor",
        label="Floor",
        type=CategoryField.Type.NUMBER,
        required=True,
    )
    enquiry = Category.objects.create(
        subdistrict=subdistrict, code="ENQ", name="Enquiries", kind=Category.Kind.ENQUIRY
    )
    appeal = Category.objects.create(
        subdistrict=subdistrict,
        code="APP-LIC",
        name="Licence guidance",
        kind=Category.Kind.ENTERPRISE_APPEAL,
    )
    return Office(
        subdistrict=subdistrict,
        centre=centre,
        dept_a=dept_a,
        dept_b=dept_b,
        dispatcher=member("handler", organisation=centre),
        handler_a=member("handler", organisation=dept_a),
        handler_b=member("handler", organisation=dept_b),
        leader=member("leader"),
        grid_worker=member("grid_worker", grid=grid),
        resident=member("resident"),
        neighbour=member("resident"),
        grid=grid,
        incident=incident,
        battery=battery,
        enquiry=enquiry,
        appeal=appeal,
    )


@pytest.fixture
def report(office):
    """report(**overrides) -> a case reported by the resident through the web form."""

    def make(**overrides):
        values = {
            "actor": office.access(office.resident),
            "category": office.battery,
            "channel": "web",
            "description": "Batteries charged in the stairwell on a private wire",
            "lon": 121.459,
            "lat": 31.237,
            "extra": {"floor": 3},
        }
        values.update(overrides)
        return submit_case(**values)

    return make
