"""A committee with two quarters, its staff member, a mediator, and helpers for cases."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.governance.mediation import services
from linli.governance.mediation.models import MediationCase, Party
from tests.factories import OrganisationFactory, QuarterFactory

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
APPLICANT_PHONE = "13912345678"
RESPONDENT_PHONE = "13787654321"


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    state = {"at": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["at"])
    return state


@pytest.fixture
def town(subdistrict, make_user):
    committee = OrganisationFactory(
        subdistrict=subdistrict, name="Plum committee", kind=Organisation.Kind.COMMITTEE
    )
    other_committee = OrganisationFactory(
        subdistrict=subdistrict, name="Pine committee", kind=Organisation.Kind.COMMITTEE
    )
    plum = QuarterFactory(subdistrict=subdistrict, name="Plum Garden", committee=committee)
    pine = QuarterFactory(subdistrict=subdistrict, name="Pine Court", committee=other_committee)
    staff = make_user(Role.HANDLER, subdistrict, username="plum-staff", organisation=committee)
    pine_staff = make_user(
        Role.HANDLER, subdistrict, username="pine-staff", organisation=other_committee
    )
    mediator = make_user(Role.WINDOW_STAFF, subdistrict, username="mediator")
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict, username="admin")
    return SimpleNamespace(
        plum=plum,
        pine=pine,
        staff=staff,
        pine_staff=pine_staff,
        mediator=mediator,
        admin=admin,
        access=lambda user: Access.for_user(user, subdistrict),
    )


@pytest.fixture
def open_case(town, subdistrict):
    def make(quarter=None, summary: str = "Water leaking from the flat above") -> MediationCase:
        with scope(subdistrict=subdistrict):
            return services.open_case(
                town.access(town.staff),
                quarter=quarter or town.plum,
                kind=MediationCase.Kind.NEIGHBOURS,
                summary=summary,
                mediator=town.mediator,
                opened_on=dt.date(2026, 2, 15),
                parties=[
                    services.PartyInput(Party.Side.APPLICANT, "王秀英", APPLICANT_PHONE),
                    services.PartyInput(Party.Side.RESPONDENT, "李建国", RESPONDENT_PHONE),
                ],
            )

    return make
