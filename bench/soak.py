"""Benchmark: a soak test, every role's common requests mixed, under gunicorn on PostgreSQL.

    .venv/bin/python bench/soak.py [--quick] [--clients 16] [--duration SECONDS]

1. Creates a PostgreSQL database of its own (``postgres://postgres@127.0.0.1:5432``, or
   ``LINLI_BENCH_PG`` for the server), migrates it and loads the demo (``manage.py demo``: its
   two synthetic sub-districts, 2,600 enterprises, a year of cases, events, rooms…; the loader
   has no smaller size, so ``--quick`` loads the same). It adds one enterprise member per
   client (each on a demo enterprise of its own, so the clients' registrations do not refuse
   one another) and an API token for each account the mix uses. The database is dropped at
   the end, whatever happens.
2. Starts linli under gunicorn as deploy/systemd/linli-web.service does: 4 sync workers, not
   preloaded, ``DEBUG`` off, ``PROMETHEUS_MULTIPROC_DIR`` set; then signs the demo accounts in
   through the login form for the pages.
3. Tries every kind of request of the mix once, then runs ``--clients`` threads (keep-alive
   ``http.client`` connections) for ``--duration`` seconds (full: 600; ``--quick``: 60), each
   drawing kinds at random by weight (``MIX``): residents submitting cases and reading theirs,
   the grid worker's patrol, the dispatcher's and the handler's queues and workbench, the
   butler's portfolio and profiles, enterprise members registering for an event and giving the
   seat back, their bookings and events, the leader's cockpit, the life-circle map layers,
   the registry lists, the window's queue, the ambassador's board, the building manager's
   park. Every request of the mix must succeed: any other status, and any connection error,
   is an error.
4. Reads the resident memory (``VmRSS``) of gunicorn's workers after the warm-up (the first
   tenth of the run, at least 15 s) and at the end.

Prints ONE JSON line: requests, errors (with the first few samples), requests/s, p50/p95/p99
latency, counts, errors and p95 per kind, the workers' summed RSS after the warm-up, at the end
and at its peak, the memory growth, the load average before and after, and whether the targets
hold (no error; memory growth ≤ 10 %). Exits non-zero when a request failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import io
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_harness import (  # noqa: E402
    bench_database,
    free_port,
    gunicorn,
    percentile,
    rss_kb,
    server_environment,
    worker_pids,
)

FULL_SECONDS, QUICK_SECONDS, CLIENTS = 600.0, 60.0, 16
WORKERS = 4  # deploy/systemd/linli-web.service
TARGET_ERRORS, TARGET_GROWTH_PCT = 0, 10.0
ERROR_SAMPLES = 5
# The accounts of the first demo home whose requests make up the mix (registry/demo/
# accounts.yaml, and the cases step's dispatcher).
ACCOUNTS = (
    "resident",
    "grid",
    "dispatcher",
    "handler",
    "butler",
    "enterprise",
    "leader",
    "subadmin",
    "window",
    "ambassador",
    "building",
)


# --- the database ------------------------------------------------------------------------


@dataclass
class World:
    """What the requests of the mix are about: ids, numbers and codes read after loading."""

    keys: dict[str, str]  # account → API token
    members: list[tuple[str, int]]  # one (API token, enterprise id) per client
    resident_cases: list[str]
    staff_cases: dict[str, list[str]]  # account → numbers it sees
    categories: list[str]  # leaf categories a resident may report to with no extra fields
    grid_code: str
    portfolio: list[int]  # the butler's enterprises
    enterprise_id: int  # the demo enterprise account's
    managed_building: int  # the demo building manager's
    event_id: int  # open for enterprises, no approval
    buildings: list[int]
    registry_enterprises: list[int]
    resources: list[int]
    catalog: list[str]
    centre: tuple[float, float]
    password: str = ""
    lifecircle_types: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # account → Cookie header


def seed(clients: int, load: bool) -> World:
    """Migrate, load the demo (unless ``load`` is off: a database that has it) and read what
    the mix needs; add the clients' enterprise members and the API tokens."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    if load:
        call_command("migrate", verbosity=0)
        # The demo prints its accounts whatever the verbosity: kept off the JSON line.
        call_command("demo", stdout=io.StringIO())
    from django.db import transaction

    from linli.cases import intake_setup
    from linli.cases.extra import clean_extra
    from linli.cases.models import Case, CaseReporter, Category
    from linli.core.access import Access
    from linli.core.clock import now
    from linli.core.demo import DEMO_PASSWORD
    from linli.core.models import Membership, Subdistrict, User
    from linli.core.roles import Role
    from linli.core.tokens import issue_token
    from linli.frontoffice.bookings.models import Resource
    from linli.frontoffice.catalog.queries import catalog_items
    from linli.frontoffice.events.models import Audience, Event, Registration
    from linli.frontoffice.events.services import registration_refusal
    from linli.registry.demo.homes import plan_homes
    from linli.registry.models import Building, Enterprise

    with scopes_disabled(), transaction.atomic():
        sd = Subdistrict.objects.get(code=plan_homes(1)[0].code)
        users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
        access = {name: Access.for_user(user, sd) for name, user in users.items()}
        keys = {name: issue_token(user, sd, "soak")[1] for name, user in users.items()}

        resident_cases = list(
            CaseReporter.objects.filter(subdistrict=sd, user=users["resident"])
            .order_by("case__number")
            .values_list("case__number", flat=True)
        )
        staff_cases = {
            name: list(
                Case.objects.visible_to(access[name])
                .order_by("-received_at")
                .values_list("number", flat=True)[:300]
            )
            for name in ("dispatcher", "handler", "grid")
        }
        setup = intake_setup.current(sd)
        categories = []
        for category in Category.objects.filter(
            subdistrict=sd, parent__isnull=False, active=True
        ).order_by("code"):
            try:
                clean_extra(category, {}, available=setup.fields)
            except ValidationError:
                continue
            categories.append(category.code)
        grid = next(m.grid for m in access["grid"].memberships if m.grid_id)
        portfolio = list(
            Enterprise.objects.visible_to(access["butler"])
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        enterprise_id = next(iter(access["enterprise"].linked_ids("enterprise")))
        managed_building = next(iter(access["building"].linked_ids("building")))
        moment = now()
        event = next(
            e
            for e in Event.objects.filter(
                subdistrict=sd, audience=Audience.ENTERPRISES, requires_approval=False
            ).order_by("-registration_closes_at")
            if registration_refusal(e, moment) is None
        )
        # The clients' members: enterprises of the sub-district with no registration for
        # the event, one each.
        taken = Registration.objects.filter(event=event, enterprise__isnull=False).values(
            "enterprise"
        )
        spare = (
            Enterprise.objects.filter(subdistrict=sd)
            .exclude(pk__in=taken)
            .exclude(pk=enterprise_id)
            .order_by("pk")[:clients]
        )
        members = []
        for enterprise in spare:
            user, _ = User.objects.get_or_create(username=f"soak-member-{enterprise.pk}")
            Membership.objects.get_or_create(
                subdistrict=sd, user=user, role=Role.ENTERPRISE_MEMBER, enterprise=enterprise
            )
            members.append((issue_token(user, sd, "soak")[1], enterprise.pk))
        world = World(
            keys=keys,
            members=members,
            resident_cases=resident_cases,
            staff_cases=staff_cases,
            categories=categories,
            grid_code=grid.code,
            portfolio=portfolio,
            enterprise_id=enterprise_id,
            managed_building=managed_building,
            event_id=event.pk,
            buildings=list(
                Building.objects.filter(subdistrict=sd).order_by("pk").values_list("pk", flat=True)
            ),
            registry_enterprises=list(
                Enterprise.objects.filter(subdistrict=sd)
                .order_by("pk")
                .values_list("pk", flat=True)[:500]
            ),
            resources=list(
                Resource.objects.filter(subdistrict=sd, is_active=True).values_list("pk", flat=True)
            ),
            catalog=list(catalog_items(access["resident"]).values_list("code", flat=True)[:50]),
            centre=(sd.center_lon, sd.center_lat),
            password=DEMO_PASSWORD,
        )
    with django.db.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return world


# --- requests ----------------------------------------------------------------------------


@dataclass
class Request:
    kind: str
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None
    expected: int = 200
    then: Callable[[bytes], None] | None = None  # given the body of an expected answer


class Client:
    """One simulated person at a time: a keep-alive connection, its own random draws and the
    registration its enterprise member holds."""

    def __init__(self, port: int, world: World, index: int) -> None:
        self.port, self.world, self.index = port, world, index
        self.rng = random.Random(index)
        self.member_key, self.member_enterprise = world.members[index % len(world.members)]
        self.registration: int | None = None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, request: Request) -> tuple[int, bytes]:
        """Status and body; raises OSError / HTTPException after reconnecting."""
        try:
            self.connection.request(
                request.method, request.path, body=request.body, headers=request.headers
            )
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise

    # -- headers --

    def api(self, account: str, body: bool = False) -> dict[str, str]:
        key = self.world.keys[account] if account != "member" else self.member_key
        headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        return headers

    def page(self, account: str) -> dict[str, str]:
        return {"Cookie": self.world.cookies[account], "Accept": "text/html"}

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    # -- what a request is about, drawn afresh each time --

    @property
    def resident_case(self) -> str:
        return self.pick(self.world.resident_cases)

    @property
    def grid_case(self) -> str:
        return self.pick(self.world.staff_cases["grid"])

    @property
    def dispatcher_case(self) -> str:
        return self.pick(self.world.staff_cases["dispatcher"])

    @property
    def handler_case(self) -> str:
        return self.pick(self.world.staff_cases["handler"])

    @property
    def portfolio(self) -> int:
        return self.pick(self.world.portfolio)

    @property
    def building(self) -> int:
        return self.pick(self.world.buildings)

    @property
    def registry_enterprise(self) -> int:
        return self.pick(self.world.registry_enterprises)

    @property
    def resource(self) -> int:
        return self.pick(self.world.resources)

    @property
    def catalog_item(self) -> str:
        return self.pick(self.world.catalog)

    @property
    def ltype(self) -> str:
        return self.pick(self.world.lifecircle_types)

    @property
    def page_no(self) -> int:
        return self.rng.randint(1, 5)

    def report(self, kind: str, account: str, channel: str) -> Request:
        lon, lat = self.world.centre
        body = {
            "category": self.pick(self.world.categories),
            "description": "Electric bikes charged in the stairwell over a cable from a window.",
            "channel": channel,
            "lon": round(lon + self.rng.uniform(-0.004, 0.004), 6),
            "lat": round(lat + self.rng.uniform(-0.004, 0.004), 6),
            "address": f"{self.rng.randint(1, 900)} Kangding Road",
        }

        def remember(answer: bytes) -> None:
            if account == "resident":
                self.world.resident_cases.append(json.loads(answer)["number"])

        return Request(
            kind, "POST", "/api/v1/cases", self.api(account, True), json.dumps(body), 201, remember
        )

    def register_or_cancel(self) -> Request:
        """The member takes a seat (or a waitlist place) and, next time, gives it back."""
        if self.registration is None:

            def keep(answer: bytes) -> None:
                self.registration = json.loads(answer)["id"]

            body = json.dumps({"enterprise": self.member_enterprise})
            path = f"/api/v1/events/{self.world.event_id}/registrations"
            return Request(
                "member.register", "POST", path, self.api("member", True), body, 201, keep
            )

        def forget(answer: bytes) -> None:
            self.registration = None

        path = f"/api/v1/events/registrations/{self.registration}/cancel"
        return Request(
            "member.cancel_registration", "POST", path, self.api("member"), None, 200, forget
        )


def _get(
    kind: str, path: str, query: Callable[[Client], dict[str, Any]] | None = None, **fixed: Any
) -> Callable[[Client], Request]:
    """A GET with the account's token (``/api/``) or session (a page) — the account is the
    kind's prefix —, the path formatted with the client (``{c.…}``: drawn afresh each time)
    and its query from ``fixed`` values (formatted alike) and ``query(client)``."""
    account = kind.split(".", 1)[0]

    def make(c: Client) -> Request:
        values = {k: v.format(c=c) if isinstance(v, str) else v for k, v in fixed.items()}
        values |= query(c) if query else {}
        target = path.format(c=c) + (f"?{urlencode(values)}" if values else "")
        if path.startswith("/api/"):
            return Request(kind, "GET", target, c.api(account))
        return Request(kind, "GET", target, c.page(account))

    return make


def _states(c: Client) -> dict[str, Any]:
    state = c.pick(["received,registered", "dispatched,accepted,resolving", "closed", ""])
    return {"state": state, "page": c.rng.randint(1, 3)}


def _metrics_span(c: Client) -> dict[str, str]:
    end = dt.datetime.now(dt.UTC).date()
    return {"start": str(end - dt.timedelta(days=c.rng.choice([7, 30, 90]))), "end": str(end)}


# (weight, maker): the mix, by role. Weights are relative; staff requests (queues, workbench,
# portfolio) come more often than the residents' and members' own, as in an office day.
MIX: list[tuple[int, Callable[[Client], Request]]] = [
    # resident: the API of a mobile app, and the pages
    (4, lambda c: c.report("resident.submit_case", "resident", "api")),
    (4, _get("resident.my_cases", "/api/v1/cases", queue="mine", page_size=20)),
    (4, _get("resident.case", "/api/v1/cases/{c.resident_case}")),
    (1, _get("resident.categories", "/api/v1/cases/categories")),
    (2, _get("resident.events", "/api/v1/events", audience="public", page_size=20)),
    (1, _get("resident.catalog", "/api/v1/catalog/items")),
    (1, _get("resident.catalog_item", "/api/v1/catalog/items/{c.catalog_item}")),
    (1, _get("resident.catalog_search", "/api/v1/catalog/search", q="证明")),
    (3, _get("resident.my_cases_page", "/cases/mine/")),
    (2, _get("resident.case_page", "/cases/{c.resident_case}/")),
    (1, _get("resident.home_page", "/")),
    (1, _get("resident.services_page", "/services/")),
    # grid worker: patrol reports and the grid's open cases
    (2, lambda c: c.report("grid.patrol_report", "grid", "grid_patrol")),
    (3, _get("grid.open_cases", "/api/v1/cases", lambda c: {"grid": c.world.grid_code})),
    (1, _get("grid.case", "/api/v1/cases/{c.grid_case}")),
    (1, _get("grid.patrol_page", "/cases/patrol/")),
    # dispatcher: triage and the workbench
    (4, _get("dispatcher.triage", "/api/v1/cases", queue="triage", page_size=50)),
    (4, _get("dispatcher.filtered", "/api/v1/cases", _states, category="INC", page_size=50)),
    (3, _get("dispatcher.case", "/api/v1/cases/{c.dispatcher_case}")),
    (5, _get("dispatcher.workbench", "/cases/")),
    (3, _get("dispatcher.case_page", "/cases/{c.dispatcher_case}/")),
    (1, _get("dispatcher.map_layers", "/cases/map/layers.json")),
    # department handler
    (3, _get("handler.organisation_queue", "/api/v1/cases", queue="organisation")),
    (1, _get("handler.search", "/api/v1/cases", q="楼道")),
    (3, _get("handler.workbench", "/cases/")),
    (2, _get("handler.case_page", "/cases/{c.handler_case}/")),
    # enterprise butler
    (3, _get("butler.enterprises", "/api/v1/enterprise/enterprises", page_size=20)),
    (2, _get("butler.timeline", "/api/v1/enterprise/enterprises/{c.portfolio}/timeline")),
    (1, _get("butler.risk", "/api/v1/enterprise/enterprises/{c.portfolio}/risk")),
    (1, _get("butler.visits", "/api/v1/enterprise/visits")),
    (3, _get("butler.portfolio_page", "/enterprise/")),
    (3, _get("butler.profile_page", "/enterprise/{c.portfolio}/")),
    # enterprise members: each client's own over the API, the demo account on the pages
    (3, lambda c: c.register_or_cancel()),
    (2, _get("member.events", "/api/v1/events", audience="enterprises")),
    (1, _get("member.my_registrations", "/api/v1/events/registrations/mine")),
    (2, _get("member.my_bookings", "/api/v1/bookings/bookings/mine")),
    (1, _get("member.resources", "/api/v1/bookings/resources")),
    (1, _get("member.resource_day", "/api/v1/bookings/resources/{c.resource}/day")),
    (1, _get("member.policies", "/api/v1/policies/enterprises/{c.member_enterprise}")),
    (2, _get("enterprise.events_page", "/events/")),
    (1, _get("enterprise.bookings_page", "/bookings/")),
    (1, _get("enterprise.policies_page", "/policies/enterprises/{c.world.enterprise_id}/")),
    (1, _get("enterprise.park_page", "/park/")),
    # leader: the cockpit
    (4, _get("leader.cockpit_page", "/cockpit/")),
    (2, _get("leader.buildings", "/api/v1/cockpit/buildings")),
    (1, _get("leader.building_page", "/cockpit/buildings/{c.building}/")),
    (1, _get("leader.watchlist", "/api/v1/enterprise/watchlist")),
    (1, _get("leader.case_metrics", "/api/v1/cases/metrics", _metrics_span)),
    # the life circle
    (2, _get("leader.lifecircle_layers", "/api/v1/lifecircle/map-layers", type="{c.ltype}")),
    (1, _get("leader.lifecircle_coverage", "/api/v1/lifecircle/coverage")),
    (1, _get("leader.lifecircle_page", "/lifecircle/")),
    # the registry, as the sub-district's administrator
    (2, _get("subadmin.enterprises", "/api/v1/registry/enterprises", page="{c.page_no}")),
    (1, _get("subadmin.buildings", "/api/v1/registry/buildings")),
    (1, _get("subadmin.facilities", "/api/v1/registry/facilities")),
    (1, _get("subadmin.quarters", "/api/v1/registry/quarters")),
    (1, _get("subadmin.map_layers", "/api/v1/registry/map-layers")),
    (2, _get("subadmin.enterprises_page", "/registry/enterprise/")),
    (1, _get("subadmin.enterprise_page", "/registry/enterprise/{c.registry_enterprise}/")),
    (1, _get("subadmin.inbox_page", "/inbox/")),
    # the service window, the ambassador, the building manager
    (1, _get("window.queue_page", "/queue/")),
    (1, _get("window.halls", "/api/v1/queue/halls")),
    (1, _get("ambassador.board_page", "/investment/")),
    (1, _get("ambassador.prospects", "/api/v1/investment/prospects")),
    (1, _get("building.park_page", "/park/buildings/{c.world.managed_building}/")),
    (1, _get("building.notices", "/api/v1/park/notices")),
]


# --- before the run ----------------------------------------------------------------------


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form as a browser does; returns the Cookie header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode()
        cookies = _cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("the login page has no CSRF token")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        }
        connection.request("POST", "/accounts/login/", body=form, headers=headers)
        response = connection.getresponse()
        response.read()
        cookies.update(_cookies(response))
        if response.status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"{username} could not sign in ({response.status})")
        return "; ".join(f"{k}={v}" for k, v in cookies.items())
    finally:
        connection.close()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def lifecircle_types(port: int, key: str) -> list[str]:
    """The facility types the life-circle analysis knows, as the coverage API lists them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        connection.request("GET", "/api/v1/lifecircle/coverage", headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"life-circle coverage: {response.status} {body[:200]!r}")
        return [row["type"] for row in json.loads(body)]
    finally:
        connection.close()


# --- the run -----------------------------------------------------------------------------


@dataclass
class Tally:
    """One client's results: latencies per kind, errors and their first samples."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def record(self, client: Client, request: Request) -> None:
        began = time.perf_counter()
        try:
            status, body = client.send(request)
        except (OSError, http.client.HTTPException) as exc:
            self.fail(request, repr(exc))
            return
        self.latencies.setdefault(request.kind, []).append(time.perf_counter() - began)
        if status != request.expected:
            self.fail(request, f"{status} {body[:300]!r}")
        elif request.then is not None:
            try:
                request.then(body)
            except (ValueError, KeyError, TypeError) as exc:
                self.fail(request, f"unreadable answer {exc!r}: {body[:300]!r}")

    def fail(self, request: Request, what: str) -> None:
        self.errors[request.kind] = self.errors.get(request.kind, 0) + 1
        if len(self.samples) < ERROR_SAMPLES:
            self.samples.append(f"{request.method} {request.path}: {what}")


def try_each(port: int, world: World) -> Tally:
    """Every kind of the mix once, one after another: a broken kind shows before the run."""
    tally = Tally()
    client = Client(port, world, 0)
    for _weight, make in MIX:
        tally.record(client, make(client))
    if client.registration is not None:  # give the seat back: the run starts clean
        tally.record(client, client.register_or_cancel())
    client.connection.close()
    return tally


def soak(
    port: int, master: int, world: World, clients: int, seconds: float, warmup: float
) -> dict[str, Any]:
    """``clients`` threads drawing from ``MIX`` for ``seconds``; the workers' memory after
    ``warmup`` seconds, every 5 s for the peak, and at the end."""
    weights = list(itertools.accumulate(w for w, _ in MIX))
    makers = [make for _, make in MIX]
    tallies = [Tally() for _ in range(clients)]
    start_line = threading.Barrier(clients + 1)
    stop = threading.Event()

    def run(i: int) -> None:
        client = Client(port, world, i)
        start_line.wait()
        while not stop.is_set():
            make = client.rng.choices(makers, cum_weights=weights)[0]
            tallies[i].record(client, make(client))
        client.connection.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    pids_start, rss_start, peak = [], 0, 0
    while (elapsed := time.monotonic() - began) < seconds:
        time.sleep(min(5.0, seconds - elapsed))
        pids = worker_pids(master)
        rss = rss_kb(pids)
        peak = max(peak, rss)
        if not pids_start and time.monotonic() - began >= warmup:
            pids_start, rss_start = pids, rss
    pids_end = worker_pids(master)
    rss_end = rss_kb(pids_end)
    stop.set()
    elapsed = time.monotonic() - began
    for thread in threads:
        thread.join(timeout=120)
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    samples: list[str] = []
    for tally in tallies:
        for kind, values in tally.latencies.items():
            latencies.setdefault(kind, []).extend(values)
        for kind, n in tally.errors.items():
            errors[kind] = errors.get(kind, 0) + n
        samples += tally.samples
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "errors": errors,
        "samples": samples[:ERROR_SAMPLES],
        "rss_start": rss_start,
        "rss_end": rss_end,
        "rss_peak": max(peak, rss_end),
        "workers_replaced": len(set(pids_end) - set(pids_start)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:.0f} s")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument(
        "--duration", type=float, default=None, help=f"seconds (full: {FULL_SECONDS:.0f})"
    )
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--database",
        default="",
        help="an existing database with the demo loaded (kept afterwards; for working on the "
        "bench itself): no throw-away database, migration or demo loading",
    )
    args = parser.parse_args()
    seconds = args.duration or (QUICK_SECONDS if args.quick else FULL_SECONDS)
    warmup = max(15.0, seconds / 10)

    own = bench_database("soak") if not args.database else contextlib.nullcontext(args.database)
    with own as url, tempfile.TemporaryDirectory(prefix="linli-soak-metrics-") as metrics:
        env = server_environment(url)
        began = time.perf_counter()
        world = seed(args.clients, load=not args.database)
        seeded = time.perf_counter() - began
        from django.db import connections

        connections.close_all()
        port = free_port()
        with gunicorn(
            "linli.wsgi:application",
            {**env, "PROMETHEUS_MULTIPROC_DIR": metrics},
            port,
            args.workers,
            threads=1,
            backlog=2048,
            worker_class="sync",
            preload=False,
        ) as server:
            world.cookies = {name: sign_in(port, name, world.password) for name in ACCOUNTS}
            world.lifecircle_types = lifecircle_types(port, world.keys["leader"])
            tried = try_each(port, world)
            load_start = os.getloadavg()
            result = soak(port, server.pid, world, args.clients, seconds, warmup)
            load_end = os.getloadavg()
        connections.close_all()

    every = sorted(x for values in result["latencies"].values() for x in values)
    errors = sum(result["errors"].values()) + sum(tried.errors.values())
    kinds = {
        kind: {
            "n": len(values),
            "errors": result["errors"].get(kind, 0) + tried.errors.get(kind, 0),
            "p95_ms": round(percentile(sorted(values), 0.95) * 1000, 1),
        }
        for kind, values in sorted(result["latencies"].items())
    }
    for kind, n in result["errors"].items():
        kinds.setdefault(kind, {"n": 0, "errors": n, "p95_ms": None})
    mb = 1024
    growth = (
        (result["rss_end"] - result["rss_start"]) / result["rss_start"] * 100
        if result["rss_start"]
        else None
    )
    line = {
        "bench": "soak",
        "mode": "quick" if args.quick else "full",
        "clients": args.clients,
        "duration_s": round(result["elapsed"], 1),
        "warmup_s": warmup,
        "seed_s": round(seeded, 1),
        "server": {"worker_class": "sync", "workers": args.workers, "cpus": os.cpu_count()},
        "requests": len(every),
        "errors": errors,
        "rps": round(len(every) / result["elapsed"], 1),
        "p50_ms": round(statistics.median(every) * 1000, 1) if every else None,
        "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "error_samples": (tried.samples + result["samples"])[:ERROR_SAMPLES],
        "kinds": kinds,
        "rss_start_mb": round(result["rss_start"] / mb, 1),
        "rss_end_mb": round(result["rss_end"] / mb, 1),
        "rss_peak_mb": round(result["rss_peak"] / mb, 1),
        "memory_growth_pct": round(growth, 2) if growth is not None else None,
        "workers_replaced": result["workers_replaced"],
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in load_end],
        "targets": {"errors": TARGET_ERRORS, "memory_growth_pct": TARGET_GROWTH_PCT},
        "targets_met": {
            "errors": errors <= TARGET_ERRORS,
            "memory": growth is not None and growth <= TARGET_GROWTH_PCT,
        },
    }
    print(json.dumps(line, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
