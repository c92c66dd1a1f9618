"""The cases rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/cases/rules.py``:

- Reading: staff see every case of their sub-district; anyone else sees the cases they reported
  (the world's resident reported every case here), so a building manager or an enterprise member
  gets 404 for them, exactly like another sub-district's administrator.
- Triage (register, …) is for the dispatch centre, leaders and administrators; the world has no
  dispatch centre, so that is administrators and the leader.
- Handling (accept, submit for verification) is for the lead organisation's people: the handler
  of Department A, and administrators.
- Verification is for grid workers of the case's grid, and the triage roles.
- Metrics are for triage roles and handlers; B's administrator gets B's (empty) figures.
- Open311 answers everyone (it is a public API), and a POST needs an ``api_key`` of the
  jurisdiction: B's administrator's key is refused for A.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from typing import Any

from django.test import override_settings
from django.urls import reverse
from PIL import Image

from linli.cases import services
from linli.cases.models import Case, Category, Channel
from linli.core.access import Access
from linli.core.roles import ADMINS, CARE, EVERYONE, STAFF, Role
from linli.core.tokens import issue_token
from tests.core.matrix import Endpoint, everyone, fixed, statuses
from tests.core.world import ANONYMOUS, OTHER, World

BM = Role.BUILDING_MANAGER
EM = Role.ENTERPRISE_MEMBER
TRIAGE = ADMINS | {Role.LEADER}
HANDLERS = ADMINS | {Role.HANDLER}
VERIFIERS = TRIAGE | {Role.GRID_WORKER}
METRICS = TRIAGE | {Role.HANDLER}
HOTLINE = ADMINS | {Role.LEADER, Role.HANDLER, Role.WINDOW_STAFF}
CODE = "INC-MATRIX"
PARENT_CODE = "MATRIX"
SERVICE_CODE = "SVC-MATRIX"
JID_A = "310106013"


def populate(world: World) -> None:
    """Two categories in A (a public incident under a parent, a resident service) and one in B;
    in A a case in each state the rows act on, all reported by the resident; an API key for
    every person."""
    a, b = world.a, world.b
    parent = Category.objects.create(
        subdistrict=a.subdistrict, code=PARENT_CODE, name="Matrix", kind=Category.Kind.INCIDENT
    )
    incident = Category.objects.create(
        subdistrict=a.subdistrict,
        code=CODE,
        name="Matrix incident",
        kind=Category.Kind.INCIDENT,
        allows_anonymous=True,
        public_display=True,
        parent=parent,
    )
    service = Category.objects.create(
        subdistrict=a.subdistrict,
        code=SERVICE_CODE,
        name="Matrix service",
        kind=Category.Kind.RESIDENT_SERVICE,
    )
    Category.objects.create(
        subdistrict=b.subdistrict, code="INC-B", name="B incident", kind=Category.Kind.INCIDENT
    )
    resident = Access.for_user(world.users[Role.RESIDENT], a.subdistrict)
    system = Access.system(a.subdistrict)
    org, grid = a.records["organisation"], a.records["grid"]
    # The photo rows need a file on disk: keep it out of the project's media directory.
    media = tempfile.mkdtemp(prefix="linli-matrix-")
    atexit.register(shutil.rmtree, media, ignore_errors=True)
    override_settings(MEDIA_ROOT=media).enable()

    def report(category: Category, **values: Any) -> Case:
        return services.submit_case(
            **{
                "actor": resident,
                "category": category,
                "channel": Channel.WEB,
                "description": "Batteries charged in the stairwell",
                "lon": 121.459,
                "lat": 31.237,
                "grid": grid,
                **values,
            }
        )

    received = report(incident, photos=[services.Photo(_png())], address="12 Kangding Road")
    anonymous = report(incident, anonymous=True, photos=[services.Photo(_png())])
    called_in = report(
        incident,
        actor=system,
        channel=Channel.HOTLINE_12345,
        contact=services.Contact(name="Caller", phone="13900002222"),
    )
    dispatched = report(service)
    services.register_case(dispatched, actor=system)
    services.dispatch_case(dispatched, org, actor=system)
    in_progress = report(service)
    services.register_case(in_progress, actor=system)
    services.dispatch_case(in_progress, org, actor=system)
    services.accept_case(in_progress, actor=system)
    services.start_handling(in_progress, actor=system)
    awaiting = report(service)
    services.register_case(awaiting, actor=system)
    services.dispatch_case(awaiting, org, actor=system)
    services.accept_case(awaiting, actor=system)
    services.start_handling(awaiting, actor=system)
    services.submit_for_verification(awaiting, actor=system, note="Done")
    keys = {
        who: issue_token(user, b.subdistrict if who == OTHER else a.subdistrict, "matrix")[1]
        for who, user in world.users.items()
    }
    world.extra["cases"] = {
        "received": received,
        "anonymous": anonymous,
        "token": anonymous.tracking_token,
        "called_in": called_in,
        "photo": received.attachments.get().pk,
        "photo_anonymous": anonymous.attachments.get().pk,
        "caller": called_in.reporters.get().pk,
        "dispatched": dispatched,
        "in_progress": in_progress,
        "awaiting": awaiting,
        "keys": keys,
    }


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    out.seek(0)
    out.name = "stairwell.png"
    return out


def case_number(world: World, name: str) -> str:
    return world.extra["cases"][name].number


def case_url(url_name: str, state: str, **kwargs: str):
    def url(world: World, who: str) -> str:
        return reverse(url_name, kwargs={"number": case_number(world, state), **kwargs})

    return url


def with_query(url_name: str, query: str, **kwargs: str):
    return lambda world, who: reverse(url_name, kwargs=kwargs or None) + "?" + query


def open311(url_name: str, fmt: str = "json", **kwargs: str):
    return with_query(f"open311:{url_name}", f"jurisdiction_id={JID_A}", fmt=fmt, **kwargs)


def open311_request(world: World, who: str) -> str:
    number = case_number(world, "received")
    return (
        reverse("open311:request", kwargs={"request_id": number, "fmt": "json"})
        + f"?jurisdiction_id={JID_A}"
    )


def open311_post(world: World, who: str) -> dict[str, Any]:
    data = {
        "jurisdiction_id": JID_A,
        "service_code": CODE,
        "lat": "31.237",
        "long": "121.459",
        "description": "Batteries charged on a wire from the window",
        "email": "citizen@example.org",
    }
    if who != ANONYMOUS:
        data["api_key"] = world.extra["cases"]["keys"][who]
    return data


def submit_payload(channel: str):
    def data(world: World, who: str) -> dict[str, Any]:
        return {
            "category": CODE,
            "channel": channel,
            "description": "Batteries charged in the stairwell",
            "lon": 121.459,
            "lat": 31.237,
            "contact_phone": "13900001111",
        }

    return data


PERIOD = "start=2026-01-01&end=2026-12-31"
# Reading a case: staff, and the resident who reported it; the others do not see it at all.
READ = statuses(STAFF | {Role.RESIDENT}, denied=404, anonymous=401, other=404)


def acting(allowed: frozenset[str]) -> dict[str, int]:
    """A transition: 200 for who may, 403 for staff and the reporter who may not, 404 for those
    who do not see the case."""
    table = statuses(allowed, denied=403, anonymous=401, other=404)
    for who in (BM, EM, *CARE):
        table[who] = 404
    return table


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "api:list_categories",
        "GET",
        fixed("api:list_categories"),
        statuses(anonymous=401),
    ),
    # B's administrator asks for A's category code: there is no such code in B.
    Endpoint(
        "api:duplicates",
        "GET",
        with_query("api:duplicates", f"category={CODE}&lon=121.459&lat=31.237"),
        statuses(anonymous=401, other=400),
    ),
    Endpoint(
        "api:get_metrics",
        "GET",
        with_query("api:get_metrics", PERIOD),
        statuses(METRICS, anonymous=401),
    ),
    Endpoint(
        "api:get_metrics_xlsx",
        "GET",
        with_query("api:get_metrics_xlsx", PERIOD),
        statuses(METRICS, anonymous=401),
    ),
    Endpoint(
        "api:submit",
        "POST",
        fixed("api:submit"),
        statuses(EVERYONE, 201, anonymous=401, other=400),
        data=submit_payload(Channel.WEB),
        json=True,
    ),
    # Only staff at a phone or a window enter hotline calls.
    Endpoint(
        "api:submit",
        "POST",
        fixed("api:submit"),
        statuses(HOTLINE, 201, anonymous=401, other=400),
        kind="hotline",
        data=submit_payload(Channel.HOTLINE_12345),
        json=True,
    ),
    Endpoint("api:list_cases", "GET", fixed("api:list_cases"), statuses(anonymous=401)),
    Endpoint("api:get_case", "GET", case_url("api:get_case", "received"), READ),
    Endpoint(
        "api:transition",
        "POST",
        case_url("api:transition", "received", action="register"),
        acting(TRIAGE),
        data=lambda w, who: {},
        json=True,
    ),
    Endpoint(
        "api:transition",
        "POST",
        case_url("api:transition", "dispatched", action="accept"),
        acting(HANDLERS),
        kind="accept",
        data=lambda w, who: {},
        json=True,
    ),
    Endpoint(
        "api:transition",
        "POST",
        case_url("api:transition", "awaiting", action="verify"),
        acting(VERIFIERS),
        kind="verify",
        data=lambda w, who: {"note": "Seen on site"},
        json=True,
    ),
    Endpoint(
        "api:submit_with_photos",
        "POST",
        case_url("api:submit_with_photos", "in_progress"),
        acting(HANDLERS),
        data=lambda w, who: {"note": "Done"},
    ),
    Endpoint("open311:services", "GET", open311("services"), everyone(200)),
    Endpoint("open311:services", "GET", open311("services", "xml"), everyone(200), kind="xml"),
    Endpoint("open311:service", "GET", open311("service", code=CODE), everyone(200)),
    Endpoint("open311:requests", "GET", open311("requests"), everyone(200)),
    # Any key of A may post; no key, or B's key, is refused (403, as GeoReport v2 says).
    Endpoint(
        "open311:requests",
        "POST",
        fixed("open311:requests", fmt="json"),
        {**everyone(201), ANONYMOUS: 403, OTHER: 403},
        data=open311_post,
    ),
    Endpoint("open311:request", "GET", open311_request, everyone(200)),
]

# --- pages -------------------------------------------------------------------------------

PUBLIC_SIDE = {BM, EM, Role.RESIDENT, *CARE}


def pages(allowed: frozenset[str] | set[str], ok: int = 200, *, other: int = 200) -> dict:
    """A page: ``ok`` for who may, 403 for the rest, a visitor is sent to sign in; B's
    administrator gets B's own page."""
    return statuses(allowed, ok, other=other)


def acting_page(allowed: frozenset[str]) -> dict[str, int]:
    """A case action from its page: a redirect back for who may; 403 for staff who may not
    and for the reporter; 404 for those who do not see the case."""
    table = statuses(allowed, 302, denied=403, other=404)
    for who in (BM, EM, *CARE):
        table[who] = 404
    return table


def page_url(url_name: str, state: str = "received", **kwargs: Any):
    def url(world: World, who: str) -> str:
        return reverse(f"cases:{url_name}", kwargs={"number": case_number(world, state), **kwargs})

    return url


def track_url(name: str = "track", **kwargs: Any):
    def url(world: World, who: str) -> str:
        cases = world.extra["cases"]
        if name == "track_file":
            kwargs["pk"] = cases["photo_anonymous"]
        return reverse(f"cases:{name}", kwargs={"token": cases["token"], **kwargs})

    return url


def intake_data(channel: str = ""):
    def data(world: World, who: str) -> dict[str, Any]:
        values = {
            "category": CODE,
            "description": "Batteries charged in the stairwell",
            "lon": "121.459",
            "lat": "31.237",
            "address": "12 Kangding Road",
        }
        if channel:
            values |= {"channel": channel, "contact_phone": "13900003333"}
        return values

    return data


# Page reads of one case: like the API, but a visitor is sent to sign in.
READ_PAGE = statuses(STAFF | {Role.RESIDENT}, denied=404, other=404)

ENDPOINTS += [
    Endpoint("cases:workbench", "GET", fixed("cases:workbench"), pages(STAFF)),
    # The workbench's list as an Excel file: for who may open the workbench.
    Endpoint(
        "cases:export",
        "GET",
        lambda w, who: reverse("cases:export") + "?queue=all&category=INC",
        pages(STAFF),
    ),
    Endpoint(
        "cases:workbench",
        "GET",
        lambda w, who: reverse("cases:workbench") + "?queue=overdue&category=INC&q=Batteries",
        pages(STAFF),
        kind="filtered",
    ),
    # B's dispatcher names an organisation of A: the form refuses it and goes back.
    Endpoint(
        "cases:bulk_dispatch",
        "POST",
        fixed("cases:bulk_dispatch"),
        pages(TRIAGE, 302, other=302),
        data=lambda w, who: {
            "cases": [case_number(w, "received")],
            "organisation": w.a.records["organisation"].pk,
        },
    ),
    Endpoint("cases:report", "GET", fixed("cases:report"), pages(EVERYONE)),
    # Everyone may report on the web; B's administrator does not have A's category (200: the
    # form comes back with the error).
    Endpoint(
        "cases:report",
        "POST",
        fixed("cases:report"),
        pages(EVERYONE, 302),
        kind="submit",
        data=intake_data(),
    ),
    Endpoint(
        "cases:fields",
        "GET",
        lambda w, who: reverse("cases:fields") + f"?category={CODE}&variant=web",
        pages(EVERYONE),
    ),
    Endpoint(
        "cases:duplicates",
        "GET",
        lambda w, who: reverse("cases:duplicates") + f"?category={CODE}&lon=121.459&lat=31.237",
        pages(EVERYONE),
    ),
    Endpoint(
        "cases:category_search",
        "GET",
        lambda w, who: reverse("cases:category_search") + "?q=matrix&variant=web",
        pages(EVERYONE),
    ),
    Endpoint(
        "cases:nearby",
        "GET",
        lambda w, who: reverse("cases:nearby") + "?lon=121.459&lat=31.237",
        pages(EVERYONE),
    ),
    # The public map is for anyone, signed in or not, of any sub-district.
    Endpoint("cases:public_map", "GET", fixed("cases:public_map", code=JID_A), everyone(200)),
    Endpoint(
        "cases:public_reports", "GET", fixed("cases:public_reports", code=JID_A), everyone(200)
    ),
    # To one's own sub-district's map; anonymous, with two sub-districts here, to none.
    Endpoint(
        "cases:public_map_home", "GET", fixed("cases:public_map_home"), everyone(302, anonymous=404)
    ),
    Endpoint("cases:intake", "GET", fixed("cases:intake"), pages(HOTLINE)),
    Endpoint(
        "cases:intake",
        "POST",
        fixed("cases:intake"),
        pages(HOTLINE, 302, other=200),
        kind="submit",
        data=intake_data(Channel.HOTLINE_12345),
    ),
    Endpoint("cases:patrol", "GET", fixed("cases:patrol"), pages(ADMINS | {Role.GRID_WORKER})),
    Endpoint(
        "cases:building_report",
        "GET",
        fixed("cases:building_report"),
        pages(ADMINS | {BM}),
    ),
    Endpoint("cases:mine", "GET", fixed("cases:mine"), pages(EVERYONE)),
    Endpoint("cases:map", "GET", fixed("cases:map"), pages(STAFF)),
    Endpoint(
        "cases:map_layers",
        "GET",
        lambda w, who: reverse("cases:map_layers") + "?days=30&category=INC",
        pages(STAFF),
    ),
    Endpoint("cases:metrics", "GET", fixed("cases:metrics"), pages(METRICS)),
    Endpoint(
        "cases:metrics_xlsx",
        "GET",
        lambda w, who: reverse("cases:metrics_xlsx") + "?start=2026-01-01&end=2026-12-31",
        pages(METRICS),
    ),
    # A secret link is all it takes: signed in or not, of any sub-district.
    Endpoint("cases:track", "GET", track_url(), everyone(200)),
    Endpoint(
        "cases:track",
        "GET",
        lambda w, who: reverse("cases:track", kwargs={"token": "not-a-real-token"}),
        everyone(404),
        kind="unknown",
    ),
    # Rating before the case is closed: refused, with a message on the page.
    Endpoint(
        "cases:track",
        "POST",
        track_url(),
        everyone(200),
        kind="rate",
        data=lambda w, who: {"satisfaction": "satisfied"},
    ),
    Endpoint("cases:track_file", "GET", track_url("track_file"), everyone(200)),
    Endpoint("cases:detail", "GET", page_url("detail"), READ_PAGE),
    Endpoint("cases:submitted", "GET", page_url("submitted"), READ_PAGE),
    Endpoint(
        "cases:file",
        "GET",
        lambda w, who: page_url("file", pk=w.extra["cases"]["photo"])(w, who),
        READ_PAGE,
    ),
    # Only a reporter may rate: the resident is told it is not closed yet (a message and back).
    Endpoint(
        "cases:rate",
        "POST",
        page_url("rate"),
        {
            **statuses({Role.RESIDENT}, 302, denied=403, other=404),
            **dict.fromkeys((BM, EM, *CARE), 404),
        },
        data=lambda w, who: {"satisfaction": "satisfied"},
    ),
    Endpoint(
        "cases:act",
        "POST",
        page_url("act", action="register"),
        acting_page(TRIAGE),
    ),
    Endpoint(
        "cases:act",
        "POST",
        page_url("act", "dispatched", action="accept"),
        acting_page(HANDLERS),
        kind="accept",
    ),
    Endpoint(
        "cases:act",
        "POST",
        page_url("act", "awaiting", action="verify"),
        acting_page(VERIFIERS),
        kind="verify",
        data=lambda w, who: {"note": "Seen on site"},
    ),
    # Calling back a hotline caller: administrators and window staff (the case has no lead
    # organisation yet); the resident did not report this one, so does not see it.
    Endpoint(
        "cases:reporter_phone",
        "POST",
        lambda w, who: page_url("reporter_phone", "called_in", pk=w.extra["cases"]["caller"])(
            w, who
        ),
        {
            **statuses(ADMINS | {Role.WINDOW_STAFF}, denied=403, other=404),
            **dict.fromkeys((Role.RESIDENT, BM, EM, *CARE), 404),
        },
    ),
]
