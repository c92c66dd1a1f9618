"""The Open311 output is pinned byte for byte: clients parse it, and a change to how linli builds
its own API must never change a GeoReport v2 answer. The expected bodies in
``tests/cases/open311_pinned/`` were written by the Open311 code before the cases API moved to
schemas; the same data must give the same bytes, in JSON and XML, for the public and for a
staff key, for lists, single requests, services, service definitions, a POST and an error.

To write them afresh after a deliberate change to the Open311 output:
``LINLI_PIN_OPEN311=write pytest tests/cases/test_open311_pinned.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from linli.cases import services as s
from linli.cases.models import Case, CategoryField
from linli.core.tokens import issue_token
from tests.cases.conftest import local, png_bytes

ROOT = "/open311/v2"
JID = "310106013"
PINNED = Path(__file__).parent / "open311_pinned"
WRITE = os.environ.get("LINLI_PIN_OPEN311") == "write"


@pytest.fixture
def world(office, report, now):
    """Public and private cases in several states, one with a photo, one merged; every
    ``updated_at`` set to a fixed moment (it is stamped by the database's clock)."""
    a = office.access
    office.battery.public_display = True
    office.battery.description = "Batteries charged indoors or on private wires"
    office.battery.save()
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=office.battery,
        key="where",
        label="Where exactly",
        type=CategoryField.Type.CHOICE,
        choices=[{"key": "stairwell", "name": "Stairwell"}, {"key": "flat", "name": "Flat"}],
        order=2,
    )
    now("2026-09-29 10:00")
    old = report(photos=[s.Photo(png_bytes("red"))], address="12 Kangding Road")
    now("2026-10-08 10:00")
    handled = report(description="Charging on a wire from the window <b>&</b> “quoted”")
    s.register_case(handled, actor=a(office.dispatcher))
    s.dispatch_case(handled, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(handled, actor=a(office.handler_a))
    rejected = report(lon=None, lat=None, address="Corridor, 3rd floor")
    s.reject_case(rejected, actor=a(office.dispatcher), reason="out_of_scope")
    duplicate = report()
    s.merge_cases(duplicate, handled, actor=a(office.dispatcher))
    report(category=office.enquiry, extra={}, description="My tax question")
    now("2026-10-09 10:00")
    Case.objects.update(updated_at=local("2026-10-09 09:30").astimezone(dt.UTC))
    return {
        "old": old,
        "handled": handled,
        "staff": issue_token(office.dispatcher, office.subdistrict, "Hotline bridge")[1],
        "app": issue_token(office.resident, office.subdistrict, "Citizen app")[1],
        "subdistrict": office.subdistrict.pk,
    }


def _check(name: str, body: bytes, subdistrict: int) -> None:
    # The sub-district's id is in photo paths; it differs between databases.
    text = body.decode().replace(f"/cases/{subdistrict}/", "/cases/<subdistrict>/")
    path = PINNED / name
    if WRITE:
        PINNED.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_are_unchanged(world, client, fmt):
    staff, app = world["staff"], world["app"]
    gets = {
        "services": ("services", {}),
        "service": ("services/INC-EBIKE", {}),
        "service_plain": ("services/ENQ", {}),
        "requests": ("requests", {}),
        "requests_open": ("requests", {"status": "open"}),
        "requests_staff": ("requests", {"api_key": staff}),
        "requests_app": ("requests", {"api_key": app}),
        "request": (f"requests/{world['handled'].number}", {}),
        "request_photo_staff": (f"requests/{world['old'].number}", {"api_key": staff}),
        "error_status": ("requests", {"status": "pending"}),
        "error_unknown": ("requests/2026-999999", {}),
    }
    for name, (path, params) in gets.items():
        response = client.get(f"{ROOT}/{path}.{fmt}", {"jurisdiction_id": JID, **params})
        _check(f"{name}.{fmt}", response.content, world["subdistrict"])
    posted = client.post(
        f"{ROOT}/requests.{fmt}",
        {
            "jurisdiction_id": JID,
            "service_code": "INC-EBIKE",
            "lat": "31.237",
            "long": "121.459",
            "description": "Charging in the corridor",
            "attribute[floor]": "6",
            "api_key": app,
            "email": "li@example.org",
        },
    )
    assert posted.status_code == 201
    _check(f"post.{fmt}", posted.content, world["subdistrict"])
