"""The mediation rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/governance/mediation/rules.py``. In A, a dispute of A's
quarter was agreed and signed (with a scan), mediated by the department's handler. Staff reach
the list (each sees their own cases); the administrators and the mediator see the case, other
staff get 404 for it, people outside the staff 403, and B's administrator 404. Forms are posted
empty: those who may act get their form back with its errors (400), nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope
from PIL import Image

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import ADMINS, CARE, PUBLIC, STAFF, Role
from linli.governance.mediation import services
from linli.governance.mediation.models import Party
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import ANONYMOUS, OTHER, World

# The full numbers stored in A: no page or export may show them (tests/mediation/test_pii_scan.py).
PHONES = ("13911112222", "13633334444")
SEERS = ADMINS | {Role.HANDLER}


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    today = clock.today()
    with scope(subdistrict=a):
        case = services.open_case(
            system,
            quarter=world.a.records["quarter"],
            kind="neighbours",
            summary="Water leaking from the flat above",
            mediator=world.users[Role.HANDLER],
            opened_on=today - dt.timedelta(days=10),
            parties=[
                services.PartyInput(Party.Side.APPLICANT, "Applicant Wang", PHONES[0]),
                services.PartyInput(Party.Side.RESPONDENT, "Respondent Li", PHONES[1]),
            ],
        )
        services.close_case(
            case,
            actor=system,
            outcome="agreed",
            on=today - dt.timedelta(days=2),
            terms="Li repairs the bathroom floor.",
        )
        services.sign_agreement(
            case, actor=system, signed_on=today - dt.timedelta(days=1), scan=png()
        )
    world.extra["mediation"] = case


def case_url(name: str, **more: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["mediation"].pk, **more})

    return url


def seen(ok: int = 200) -> dict[str, int]:
    """``ok`` for the administrators and the mediator; 404 for other staff and for B's
    administrator (the case does not exist for them); 403 outside the staff."""
    table = statuses(SEERS, ok, denied=404, other=404)
    return {**table, **{role: 403 for role in PUBLIC | CARE}, ANONYMOUS: 302, OTHER: 404}


def empty(world: World, who: str) -> dict[str, str]:
    return {}


ENDPOINTS: list[Endpoint] = [
    Endpoint("mediation:list", "GET", fixed("mediation:list"), statuses(STAFF)),
    Endpoint("mediation:list_xlsx", "GET", fixed("mediation:list_xlsx"), statuses(STAFF)),
    Endpoint("mediation:new", "GET", fixed("mediation:new"), statuses(ADMINS)),
    Endpoint("mediation:new", "POST", fixed("mediation:new"), statuses(ADMINS, 400), data=empty),
    Endpoint("mediation:case", "GET", case_url("mediation:case"), seen()),
    Endpoint("mediation:agreement", "GET", case_url("mediation:agreement"), seen()),
    Endpoint("mediation:scan", "GET", case_url("mediation:scan"), seen()),
    *(
        Endpoint(
            "mediation:act",
            "POST",
            case_url("mediation:act", action=action),
            seen(400),
            kind=action,
            data=empty,
        )
        for action in ("session", "close", "sign", "follow_up", "confirm")
    ),
    # The URL itself, with an action no case has: 404 for everyone who may reach the view.
    Endpoint(
        "mediation:act",
        "POST",
        case_url("mediation:act", action="delete"),
        statuses((), denied=404, other=404),
        data=empty,
    ),
]
